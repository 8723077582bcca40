from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.mkt_scoring.tests.common import MktCommon


@tagged("post_install", "-at_install", "mkt")
class TestCampaignVoucherDemo(MktCommon, MockEmail):
    def test_demo_campaign_sends_the_winback_codes(self):
        Demo = self.env["mkt.demo.data"]
        Demo._generate(b2c_count=30, b2b_count=4)
        Demo._generate_vouchers()
        campaign = Demo._generate_campaign_voucher_demo()
        winback = self.env["loyalty.program"].search(
            [("name", "=", "Rückgewinnung: Wir vermissen Sie")]
        )
        offer, reminder = campaign.activity_ids.sorted("parent_path")
        self.assertEqual(campaign.state, "draft")
        self.assertEqual(campaign.segment_id, winback.mkt_segment_id)
        self.assertEqual((offer | reminder).voucher_program_id, winback)
        self.assertEqual(reminder.trigger, "not_purchased")

        # A new user starts it: every participant's mail shows their code.
        with self.mock_mail_gateway(mail_unlink_sent=False):
            campaign.action_start()
            campaign.action_process_now()
        participants = campaign.participant_ids.partner_id
        self.assertTrue(participants)
        reached = offer.trace_ids.filtered(lambda t: t.state == "processed")
        self.assertTrue(reached)
        self.assertNotIn(
            "growing", reached.participant_id.partner_id.mapped("mkt_trend")
        )
        for partner in reached.participant_id.partner_id:
            code = partner.with_context(
                mkt_voucher_program_id=winback.id
            ).mkt_voucher_code
            self.assertTrue(code, partner.name)
            mail = self._new_mails.filtered(
                lambda m, partner=partner: m.mailing_id == offer.mailing_id
                and m.mailing_trace_ids.res_id == partner.id
            )
            self.assertIn(code, mail.body_html)
