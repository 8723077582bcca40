from odoo.exceptions import AccessError, UserError
from odoo.modules.module import get_manifest
from odoo.tests import tagged

from .common import PurchaseProposalCommon


@tagged("post_install", "-at_install", "mkt")
class TestPurchaseProposalAccess(PurchaseProposalCommon):
    def test_installed_automatically_with_promotions_and_purchase(self):
        manifest = get_manifest("mkt_promotions_purchase")
        self.assertEqual(manifest["auto_install"], {"mkt_promotions", "purchase"})
        module = self.env["ir.module.module"].search(
            [("name", "=", "mkt_promotions_purchase")]
        )
        self.assertEqual(module.state, "installed")

    def test_salesperson_cannot_propose(self):
        promotion = self.create_promotion_with_plan([(self.product_oil, 10)])
        with self.assertRaises(AccessError):
            promotion.with_user(self.user_salesman).action_propose_purchase()

    def test_marketing_user_previews_but_does_not_order(self):
        promotion = self.create_promotion_with_plan([(self.product_oil, 10)])
        proposal = self.propose(promotion, user=self.user_marketing)
        self.assertEqual(self.line_of(proposal, self.product_oil).to_order_qty, 10)
        self.assertFalse(proposal.with_user(self.user_marketing).has_purchase_rights)
        with self.assertRaisesRegex(UserError, "Purchase / User"):
            proposal.with_user(self.user_marketing).action_create_purchase_orders()
        self.assertFalse(promotion.purchase_order_ids)

    def test_proposals_of_other_companies_are_hidden(self):
        other = self.env["res.company"].create({"name": "Feinkost Süd GmbH"})
        other_promotion = self.create_promotion_with_plan(
            [(self.product_oil, 10)], code="S26", company_id=other.id
        )
        with self.assertRaises(AccessError):
            other_promotion.with_user(self.user_buyer).action_propose_purchase()
