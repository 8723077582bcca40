from odoo.tests import HttpCase, tagged

from .common import PurchaseProposalCommon


@tagged("post_install", "-at_install", "mkt")
class TestPurchaseProposalUi(HttpCase, PurchaseProposalCommon):
    def test_purchase_proposal_tour(self):
        promotion = self.create_promotion_with_plan(
            [(self.product_oil, 100), (self.product_wine, 24)]
        )
        self.set_on_hand(self.product_oil, 30)
        self.start_tour(
            f"/odoo/action-mkt_promotions.mkt_promotion_action/{promotion.id}",
            "mkt_purchase_proposal_tour",
            login="mkt_buyer",
        )
        self.assertEqual(len(promotion.purchase_order_ids), 2)
        oil = promotion.purchase_order_ids.order_line.filtered(
            lambda line: line.product_id == self.product_oil
        )
        self.assertEqual(oil.product_qty, 72)
