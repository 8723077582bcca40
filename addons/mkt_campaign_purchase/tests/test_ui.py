from odoo.tests import HttpCase, tagged

from .common import CampaignPurchaseCommon


@tagged("post_install", "-at_install", "mkt")
class TestCampaignPurchaseUi(HttpCase, CampaignPurchaseCommon):
    def test_campaign_purchase_tour(self):
        campaign = self.create_campaign_with_offer(
            [(self.product_oil, 40), (self.product_wine, 1)], rate=50
        )
        self.set_on_hand(self.product_oil, 50)
        self.start_tour(
            f"/odoo/action-mkt_campaign_flow.mkt_campaign_action/{campaign.id}",
            "mkt_campaign_purchase_tour",
            login="mkt_buyer",
        )
        self.assertEqual(len(campaign.purchase_order_ids), 2)
        oil = campaign.purchase_order_ids.order_line.filtered(
            lambda line: line.product_id == self.product_oil
        )
        self.assertEqual(oil.product_qty, 70)
