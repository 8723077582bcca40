"""Changing a step's voucher while the campaign cron sends the step, on real,
committed transactions (each side has its own database connection).

The tests do not run in the test transaction: they clean up what they
committed.
"""

import threading
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.service.model import retrying
from odoo.tests import tagged

from odoo.addons.mkt_campaign_flow.models.mkt_campaign_activity import (
    MktCampaignActivity,
)
from odoo.addons.mkt_scoring.tests.common import CommittedCase

PARTICIPANTS = 6
BATCH = 3


@tagged("post_install", "-at_install", "mkt")
class TestVoucherChangeWhileSending(CommittedCase):
    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"Voucher race customer {index}",
                        "email": f"v{index}@voucher-race.example.com",
                    }
                    for index in range(PARTICIPANTS)
                ]
            )
            segment = env["mkt.segment"].create(
                {
                    "name": "Voucher race customers",
                    "domain": "[('email', '=ilike', '%@voucher-race.example.com')]",
                }
            )
            programs = env["loyalty.program"].create(
                [
                    {
                        "name": name,
                        "program_type": "coupons",
                        "reward_ids": [
                            Command.create(
                                {
                                    "reward_type": "discount",
                                    "discount": 10,
                                    "discount_mode": "percent",
                                    "discount_applicability": "order",
                                    "required_points": 1,
                                }
                            )
                        ],
                    }
                    for name in ("Voucher race A", "Voucher race B")
                ]
            )
            template = env["mail.template"].create(
                {
                    "name": "Voucher race mail",
                    "model_id": env["ir.model"]._get_id("res.partner"),
                    "subject": "Your code",
                    "body_html": "<p>Code <t t-out='object.mkt_voucher_code'/></p>",
                }
            )
            campaign = env["mkt.campaign"].create(
                {"name": "Voucher race campaign", "segment_id": segment.id}
            )
            step = env["mkt.campaign.activity"].create(
                {
                    "campaign_id": campaign.id,
                    "name": "Voucher mail",
                    "mail_template_id": template.id,
                    "voucher_program_id": programs[0].id,
                }
            )
            campaign.action_start()
            self.ids = {
                "partners": partners.ids,
                "segment": segment.id,
                "programs": programs.ids,
                "template": template.id,
                "campaign": campaign.id,
                "step": step.id,
                "mailing": step.mailing_id.id,
                "account": campaign.analytic_account_id.id,
            }
        self.program_a, self.program_b = self.ids["programs"]
        self.addCleanup(self.cleanup)

    def cleanup(self):
        with self.committed_env() as env:
            env["mail.mail"].search([("mailing_id", "=", self.ids["mailing"])]).unlink()
            env["mailing.trace"].search(
                [("mass_mailing_id", "=", self.ids["mailing"])]
            ).unlink()
            env["mkt.campaign"].browse(self.ids["campaign"]).unlink()
            env["mailing.mailing"].browse(self.ids["mailing"]).unlink()
            env["account.analytic.account"].browse(
                self.ids["account"]
            ).exists().unlink()
            env["loyalty.card"].search(
                [("program_id", "in", self.ids["programs"])]
            ).unlink()
            programs = env["loyalty.program"].browse(self.ids["programs"])
            programs.active = False  # loyalty refuses to delete active programs
            programs.unlink()
            env["mkt.segment"].browse(self.ids["segment"]).unlink()
            env["mail.template"].browse(self.ids["template"]).unlink()
            env["res.partner"].browse(self.ids["partners"]).unlink()

    def process(self):
        with self.committed_env() as env:
            campaign = env["mkt.campaign"].browse(self.ids["campaign"])
            return env["mkt.campaign.trace"]._process_due(
                campaigns=campaign, batch_size=BATCH, auto_commit=True
            )

    def codes_by_program(self):
        with self.committed_env() as env:
            cards = env["loyalty.card"].search(
                [("program_id", "in", self.ids["programs"])]
            )
            mailing = env["mailing.mailing"].browse(self.ids["mailing"])
            return {
                "A": len(cards.filtered(lambda c: c.program_id.id == self.program_a)),
                "B": len(cards.filtered(lambda c: c.program_id.id == self.program_b)),
                "mailing": mailing.mkt_voucher_program_id.id,
            }

    def test_change_before_the_cron_claims_the_step(self):
        """The change holds the step's traces: a worker starting meanwhile
        skips them, and the next run sends the new voucher."""
        with self.registry.cursor() as editor_cr:
            editor = api.Environment(editor_cr, SUPERUSER_ID, {})
            editor["mkt.campaign.activity"].browse(self.ids["step"]).write(
                {"voucher_program_id": self.program_b}
            )
            self.assertEqual(self.process(), 0, "the step's traces are held")
        self.assertEqual(self.process(), PARTICIPANTS)
        self.assertEqual(
            self.codes_by_program(),
            {"A": 0, "B": PARTICIPANTS, "mailing": self.program_b},
        )

    def test_change_while_a_batch_is_being_sent(self):
        """A worker is sending the first batch with voucher A when the voucher
        is changed to B: the change waits for the batch, fails to serialize,
        and its retry is refused; nothing is sent with B."""
        sending, release = threading.Event(), threading.Event()
        execute = MktCampaignActivity._execute_email

        def execute_slowly(activity, traces):
            execute(activity, traces)
            sending.set()
            release.wait(30)

        outcome = {}

        def worker():
            try:
                outcome["processed"] = self.process()
            except Exception as error:  # reported by the test below
                outcome["worker_error"] = error

        def change_voucher():
            try:
                with self.committed_env() as env:
                    step = env["mkt.campaign.activity"].browse(self.ids["step"])
                    # What the server does for a request: retry on
                    # serialization failures.
                    retrying(
                        lambda: step.write({"voucher_program_id": self.program_b}),
                        env,
                    )
            except Exception as error:  # the expected refusal
                outcome["change_error"] = error

        with patch.object(MktCampaignActivity, "_execute_email", execute_slowly):
            sending_thread = threading.Thread(target=worker)
            sending_thread.start()
            self.assertTrue(sending.wait(30), "the worker did not start sending")
            changing_thread = threading.Thread(target=change_voucher)
            changing_thread.start()
            changing_thread.join(1)
            self.assertTrue(changing_thread.is_alive(), "the change waits")
            release.set()
            sending_thread.join(60)
            changing_thread.join(60)

        self.assertNotIn("worker_error", outcome)
        # The change may have held the second batch while it waited: the
        # next run sends it, with the voucher that stayed.
        self.assertEqual(outcome["processed"] + self.process(), PARTICIPANTS)
        self.assertIsInstance(outcome.get("change_error"), UserError)
        self.assertIn('"Voucher mail"', str(outcome["change_error"]))
        self.assertEqual(
            self.codes_by_program(),
            {"A": PARTICIPANTS, "B": 0, "mailing": self.program_a},
        )
