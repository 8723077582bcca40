import re

from odoo.tests import HttpCase, tagged

from .common import CampaignCommon


@tagged("post_install", "-at_install", "mkt")
class TestCampaignUi(HttpCase, CampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partners = cls.env["res.partner"].create(
            [
                {
                    "name": f"Tour customer {index}",
                    "email": f"tour{index}@tour.example.com",
                }
                for index in range(1, 5)
            ]
        )
        segment = cls.env["mkt.segment"].create(
            {
                "name": "Tour customers",
                "domain": "[('email', '=ilike', '%@tour.example.com')]",
            }
        )
        cls.campaign = cls.create_campaign(
            name="Tour olive oil launch",
            segment_id=segment.id,
            stage_id=cls.env.ref("mkt_campaign_flow.mkt_campaign_stage_running").id,
        )
        invitation = cls.env["mkt.campaign.activity"].create(
            {
                "campaign_id": cls.campaign.id,
                "name": "Tour invitation",
                "mail_template_id": cls.template_invitation.id,
            }
        )
        cls.env["mkt.campaign.activity"].create(
            {
                "campaign_id": cls.campaign.id,
                "name": "Tour opinion",
                "mail_template_id": cls.template_opinion.id,
                "parent_id": invitation.id,
                "trigger": "parent",
                "interval_number": 4,
            }
        )
        cls.campaign.action_start()
        cls.campaign.action_process_now()
        clicked = cls.campaign.participant_ids.filtered(
            lambda p: p.partner_id == partners[0]
        )
        clicked.trace_ids.mailing_trace_id.set_clicked()

    def test_campaign_boards_and_funnel(self):
        self.start_tour("/odoo", "mkt_campaign_flow_tour", login="mkt_user")

    def test_contact_form(self):
        participant = self.campaign.participant_ids[:1]
        url = f"/mkt/campaign/contact/{participant.access_token}"
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("free sample", page.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            url, data={"message": "Please send the sample", "csrf_token": token}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text)
        self.assertEqual(participant.lead_id.type, "opportunity")
        self.assertIn("Please send the sample", str(participant.lead_id.description))
        self.assertEqual(participant.response_source, "form")
        self.assertEqual(self.url_open("/mkt/campaign/contact/nope").status_code, 404)
