"""A campaign email step that carries an adaptive voucher: each participant's
code is issued when the step sends, with the discount evaluated then."""

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.mkt_campaign_flow.tests.common import CampaignCommon


@tagged("post_install", "-at_install", "mkt")
class TestCampaignVoucherOffer(CampaignCommon, MockEmail):
    def test_email_step_issues_adaptive_codes(self):
        declining = self.customers[:2]
        self.env["mkt.customer.score"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": self.env.company.id,
                    "score": 10,
                    "trend": trend,
                    "score_date": "2026-01-01",
                }
                for partner, trend in zip(
                    self.customers[:3],
                    ["declining", "declining", "growing"],
                    strict=True,
                )
            ]
        )
        program = self.env["loyalty.program"].create(
            {
                "name": "Olive oil win-back",
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
                "mkt_discount_rule_ids": [
                    Command.create(
                        {
                            "condition": "trend",
                            "trend": "declining",
                            "discount_percent": 20,
                        }
                    ),
                    Command.create({"condition": "trend", "trend": "growing"}),
                ],
            }
        )
        template = self.template_invitation.copy(
            {
                "body_html": '<div><p>Code: <t t-out="object.mkt_voucher_code"/> '
                'for <t t-out="object.mkt_voucher_discount_text"/></p></div>'
            }
        )
        campaign = self.create_campaign()
        step = self.env["mkt.campaign.activity"].create(
            {
                "campaign_id": campaign.id,
                "name": "Win-back offer",
                "activity_type": "email",
                "mail_template_id": template.id,
                "trigger": "begin",
            }
        )
        campaign.action_start()
        # The voucher the step's mailing carries (see the report: a bridge
        # add-on would set it from a field of the step).
        step.mailing_id.mkt_voucher_program_id = program
        with self.mock_mail_gateway():
            campaign.action_process_now()

        cards = program.coupon_ids
        self.assertEqual(cards.partner_id, self.customers - self.customers[2])
        for card in cards:
            expected = 20.0 if card.partner_id in declining else 10.0
            self.assertEqual(card.mkt_discount_percent, expected, card.partner_id.name)
            self.assertEqual(card.mkt_mailing_id, step.mailing_id)
            mail = self.env["mail.mail"].search(
                [
                    ("mailing_id", "=", step.mailing_id.id),
                    ("recipient_ids", "in", card.partner_id.ids),
                ]
            )
            self.assertIn(card.code, mail.body_html)
            self.assertIn(f"for {expected:g} %", mail.body_html)
