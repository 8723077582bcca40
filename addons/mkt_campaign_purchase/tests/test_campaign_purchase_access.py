from odoo.exceptions import AccessError, UserError
from odoo.modules.module import get_manifest
from odoo.tests import new_test_user, tagged

from .common import CampaignPurchaseCommon


@tagged("post_install", "-at_install", "mkt")
class TestCampaignPurchaseAccess(CampaignPurchaseCommon):
    def test_installed_automatically_with_campaigns_and_purchase_proposals(self):
        self.assertTrue(get_manifest("mkt_campaign_purchase")["auto_install"])
        module = self.env["ir.module.module"].search(
            [("name", "=", "mkt_campaign_purchase")]
        )
        self.assertEqual(module.state, "installed")

    def test_marketing_user_previews_but_does_not_order(self):
        campaign = self.create_campaign_with_offer([(self.product_oil, 2)])
        proposal = self.propose(campaign, user=self.user_marketing)
        self.assertEqual(self.line_of(proposal, self.product_oil).to_order_qty, 6)
        self.assertFalse(proposal.with_user(self.user_marketing).has_purchase_rights)
        with self.assertRaisesRegex(UserError, "Purchase / User.*Olive oil launch"):
            proposal.with_user(self.user_marketing).action_create_purchase_orders()
        self.assertFalse(campaign.purchase_order_ids)

    def test_salesperson_cannot_propose(self):
        campaign = self.create_campaign_with_offer([(self.product_oil, 2)])
        with self.assertRaises(AccessError):
            campaign.with_user(self.user_salesman).action_propose_purchase()

    def test_buyer_without_marketing_rights_orders(self):
        """Buyers propose and order for a campaign they may only read."""
        buyer = new_test_user(
            self.env, login="pure_buyer", groups="purchase.group_purchase_user"
        )
        campaign = self.create_campaign_with_offer([(self.product_oil, 2)])
        proposal = self.propose(campaign, user=buyer)
        proposal.with_user(buyer).action_create_purchase_orders()
        self.assertEqual(campaign.purchase_order_ids.order_line.product_qty, 6)
        self.assertEqual(
            campaign.purchase_order_ids.with_user(buyer).mkt_campaign_id.display_name,
            "Olive oil launch",
        )

    def test_campaigns_of_other_companies_are_hidden(self):
        other = self.env["res.company"].create({"name": "Feinkost Süd GmbH"})
        campaign = self.create_campaign_with_offer(
            [(self.product_oil, 2)], company_id=other.id, segment_id=False
        )
        with self.assertRaises(AccessError):
            campaign.with_user(self.user_buyer).action_propose_purchase()
        with self.assertRaises(AccessError):
            campaign.product_ids.with_user(self.user_buyer).read(["expected_qty"])
