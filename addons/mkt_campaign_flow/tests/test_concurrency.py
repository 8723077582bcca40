"""Crash and double-worker tests on real, committed transactions.

These tests do not run in the test transaction: each worker has its own
database connection (``registry.cursor()`` outside test mode), commits per
batch as the cron does, and the tests clean up what they committed.
"""

import threading
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.mkt_scoring.tests.common import CommittedCase

from ..models.mkt_campaign_activity import MktCampaignActivity
from ..models.mkt_campaign_trace import MktCampaignTrace

PARTICIPANTS = 20
BATCH = 5


class Killed(BaseException):
    """Stands for the process being killed: no ``except Exception`` catches it."""


@tagged("post_install", "-at_install", "mkt")
class TestConcurrentProcessing(CommittedCase):
    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            self.partner_ids = (
                env["res.partner"]
                .create(
                    [
                        {
                            "name": f"Concurrency customer {index}",
                            "email": f"c{index}@concurrency.example.com",
                        }
                        for index in range(PARTICIPANTS)
                    ]
                )
                .ids
            )
            segment = env["mkt.segment"].create(
                {
                    "name": "Concurrency customers",
                    "domain": "[('email', '=ilike', '%@concurrency.example.com')]",
                }
            )
            template = env["mail.template"].create(
                {
                    "name": "Concurrency mail",
                    "model_id": env["ir.model"]._get_id("res.partner"),
                    "subject": "Hello",
                    "body_html": "<p>Hello <t t-out='object.name'/></p>",
                }
            )
            campaign = env["mkt.campaign"].create(
                {"name": "Concurrency campaign", "segment_id": segment.id}
            )
            self.step = env["mkt.campaign.activity"].create(
                {
                    "campaign_id": campaign.id,
                    "name": "Mail",
                    "mail_template_id": template.id,
                    "fixed_cost": 50.0,
                    "unit_cost": 1.0,
                }
            )
            campaign.action_start()
            self.campaign_id = campaign.id
            self.ids = {
                "segment": segment.id,
                "template": template.id,
                "mailing": self.step.mailing_id.id,
                "account": campaign.analytic_account_id.id,
                "utm": campaign.utm_campaign_id.id,
            }
            self.step_id = self.step.id
        self.addCleanup(self.cleanup)

    def cleanup(self):
        with self.committed_env() as env:
            env["mail.mail"].search([("mailing_id", "=", self.ids["mailing"])]).unlink()
            env["mailing.trace"].search(
                [("mass_mailing_id", "=", self.ids["mailing"])]
            ).unlink()
            env["mkt.campaign"].browse(self.campaign_id).unlink()
            env["mailing.mailing"].browse(self.ids["mailing"]).unlink()
            env["account.analytic.line"].search(
                [("name", "like", "Concurrency campaign")]
            ).unlink()
            env["account.analytic.account"].browse(self.ids["account"]).unlink()
            env["mkt.segment"].browse(self.ids["segment"]).unlink()
            env["mail.template"].browse(self.ids["template"]).unlink()
            env["res.partner"].browse(self.partner_ids).unlink()

    def process(self, **kwargs):
        with self.committed_env() as env:
            campaign = env["mkt.campaign"].browse(self.campaign_id)
            return env["mkt.campaign.trace"]._process_due(
                campaigns=campaign, batch_size=BATCH, auto_commit=True, **kwargs
            )

    def assert_each_sent_once(self):
        with self.committed_env() as env:
            mails = env["mail.mail"].search([("mailing_id", "=", self.ids["mailing"])])
            traces = env["mailing.trace"].search(
                [("mass_mailing_id", "=", self.ids["mailing"])]
            )
            self.assertEqual(sorted(traces.mapped("res_id")), sorted(self.partner_ids))
            self.assertEqual(len(mails), PARTICIPANTS)
            campaign_traces = env["mkt.campaign.trace"].search(
                [("campaign_id", "=", self.campaign_id)]
            )
            self.assertEqual(set(campaign_traces.mapped("state")), {"processed"})
            self.assertEqual(campaign_traces.mailing_trace_id, traces)
            lines = env["account.analytic.line"].search(
                [("name", "like", "Concurrency campaign")]
            )
            self.assertAlmostEqual(-sum(lines.mapped("amount")), 50.0 + PARTICIPANTS)
            self.assertEqual(len(lines.filtered(lambda line: line.amount == -50.0)), 1)

    def test_killed_mid_batch(self):
        """Killed after the mails of the second batch were created: that batch
        is rolled back whole; the next run sends it, once."""
        calls = []
        execute = MktCampaignActivity._execute_email

        def execute_then_die(activity, traces):
            execute(activity, traces)
            calls.append(len(traces))
            if len(calls) == 2:
                raise Killed

        with (
            patch.object(MktCampaignActivity, "_execute_email", execute_then_die),
            self.assertRaises(Killed),
        ):
            self.process()
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state, count(*) FROM mkt_campaign_trace WHERE campaign_id = %s"
                " GROUP BY state",
                [self.campaign_id],
            )
            self.assertEqual(
                dict(cr.fetchall()),
                {"processed": BATCH, "scheduled": PARTICIPANTS - BATCH},
            )
            cr.execute(
                "SELECT count(*) FROM mail_mail WHERE mailing_id = %s",
                [self.ids["mailing"]],
            )
            self.assertEqual(cr.fetchone()[0], BATCH, "the killed batch left nothing")
        self.assertEqual(self.process(), PARTICIPANTS - BATCH)
        self.assertEqual(self.process(), 0, "a second run finds nothing to do")
        self.assert_each_sent_once()

    def test_two_workers(self):
        """Two workers at once: each claims other traces (SKIP LOCKED), both
        hold their first batch at the same time, none is sent twice."""
        barrier = threading.Barrier(2, timeout=30)
        claimed = {}
        process_traces = MktCampaignTrace._process_traces

        def process_together(traces):
            name = threading.current_thread().name
            if name not in claimed:
                claimed[name] = set(traces.ids)
                barrier.wait()  # both workers hold their claimed batch
            return process_traces(traces)

        results, errors = {}, []

        def worker():
            try:
                results[threading.current_thread().name] = self.process()
            except Exception as error:  # reported by the test below
                errors.append(error)
                barrier.abort()

        with patch.object(MktCampaignTrace, "_process_traces", process_together):
            threads = [threading.Thread(target=worker, name=f"w{i}") for i in (1, 2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        self.assertFalse(errors, errors)
        self.assertEqual(len(claimed), 2)
        self.assertFalse(claimed["w1"] & claimed["w2"], "a trace claimed twice")
        self.assertEqual(len(claimed["w1"]), BATCH)
        self.assertEqual(sum(results.values()), PARTICIPANTS)
        self.assertGreater(min(results.values()), 0, "both workers did work")
        self.assert_each_sent_once()
