from odoo.tests import HttpCase, tagged

from .test_campaign_voucher import CampaignVoucherCommon


@tagged("post_install", "-at_install", "mkt")
class TestCampaignVoucherUi(HttpCase, CampaignVoucherCommon):
    def test_choose_the_voucher_of_a_step(self):
        self.program.name = "Tour win-back"
        campaign = self.create_campaign()
        step = self.env["mkt.campaign.activity"].create(
            {
                "campaign_id": campaign.id,
                "name": "Tour offer",
                "activity_type": "email",
                "mail_template_id": self.template_offer.id,
            }
        )
        self.start_tour(
            f"/odoo/action-mkt_campaign_flow.mkt_campaign_action/{campaign.id}",
            "mkt_campaign_voucher_tour",
            login="mkt_user",
        )
        self.assertEqual(step.voucher_program_id, self.program)
