from odoo import fields
from odoo.tests import tagged

from odoo.addons.mkt_scoring.tests.common import MktCommon


@tagged("post_install", "-at_install", "mkt")
class TestCampaignDemo(MktCommon):
    def test_demo_campaign_tells_the_reference_case(self):
        self.env["mkt.demo.data"]._generate(b2c_count=40, b2b_count=2)
        self.env["mkt.demo.data"]._generate_campaign_demo()
        campaign = self.env["mkt.campaign"].search(
            [("name", "=", "Olivenöl aus Kreta: Gratisprobe")]
        )
        self.assertEqual(campaign.state, "running")
        self.assertGreater(campaign.participant_count, 5)
        steps = {step.name: step for step in campaign.activity_ids}
        self.assertEqual(
            steps["Einladung mit Gratisprobe"].reached_count, campaign.participant_count
        )
        self.assertEqual(
            steps["Ihre Meinung"].reached_count, campaign.participant_count
        )
        letter = steps["Katalogbrief mit Antwortkarte"]
        silent = campaign.participant_ids.filtered(lambda p: not p.responded)
        self.assertEqual(
            letter.scheduled_count,
            len(silent),
            "those who responded do not wait for the letter of the silent ones",
        )
        self.assertIn("aktueller Katalog", letter.letter_body)
        # Due now: the server's cron prints them at once (wkhtmltopdf needs it).
        cron = self.env.ref("mkt_campaign_flow.ir_cron_campaign_process")
        self.assertLessEqual(cron.nextcall, fields.Datetime.now())
        self.env["mkt.campaign.trace"]._process_due(campaigns=campaign)
        letter.invalidate_recordset()
        self.assertEqual(
            (letter.scheduled_count, letter.reached_count), (0, len(silent))
        )
        self.assertEqual(len(letter.letter_attachment_ids), 1, "one batch to print")
        self.assertGreater(campaign.responded_count, 0)
        self.assertGreater(campaign.lead_count, 0)
        self.assertGreater(steps["Nachfassanruf"].reached_count, 0)
        self.assertEqual(
            steps["Lead für Interessenten"].reached_count
            + steps["Warum nicht?"].reached_count,
            campaign.participant_count,
        )
        self.assertGreater(campaign.cost_actual, 350)
        self.assertEqual(campaign.won_count, 1)
