from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CampaignPurchaseCommon


@tagged("post_install", "-at_install", "mkt")
class TestCampaignPurchase(CampaignPurchaseCommon):
    def test_expected_quantities_before_start_from_the_segment(self):
        campaign = self.create_campaign_with_offer(
            [(self.product_oil, 2), (self.product_cheese, 0.5)], rate=50
        )
        self.assertEqual(campaign.target_count, 6)
        self.assertEqual(campaign.expected_order_count, 3)
        self.assertEqual(campaign.product_ids.mapped("expected_qty"), [6, 1.5])
        campaign.response_rate = 15  # 0.9 orders: one
        self.assertEqual(campaign.expected_order_count, 1)
        self.assertEqual(campaign.product_ids.mapped("expected_qty"), [2, 0.5])
        # Rounded up to the precision of the article's unit.
        campaign.response_rate = 50
        self.product_cheese.uom_id.rounding = 1
        campaign.product_ids.invalidate_recordset()
        self.assertEqual(campaign.product_ids.mapped("expected_qty"), [6, 2])

    def test_campaign_from_a_template_offers_its_articles(self):
        template = self.create_campaign_with_offer(
            [(self.product_oil, 2), (self.product_cheese, 1)], rate=20, is_template=True
        )
        campaign = self.create_campaign(template_id=template.id)
        self.assertEqual(
            [(line.product_id, line.qty_per_order) for line in campaign.product_ids],
            [(self.product_oil, 2), (self.product_cheese, 1)],
        )
        self.assertEqual(campaign.response_rate, 20)
        self.assertEqual(len(template.product_ids), 2, "the template keeps its own")
        # What the new campaign names itself wins over the template.
        own = self.create_campaign_with_offer(
            [(self.product_cheese, 3)], rate=5, template_id=template.id
        )
        self.assertEqual(
            [(line.product_id, line.qty_per_order) for line in own.product_ids],
            [(self.product_cheese, 3)],
        )
        self.assertEqual(own.response_rate, 5)

    def test_expected_quantities_once_running_from_the_participants(self):
        campaign = self.create_campaign_with_offer([(self.product_oil, 2)], rate=50)
        campaign.state = "test"
        campaign._enter_partners(self.customers[:1].ids, is_test=True)
        self.assertEqual(campaign.target_count, 6, "testing: still the segment")
        campaign.state = "running"
        campaign.participant_ids.unlink()
        campaign._enter_partners(self.customers[:4].ids)
        campaign._enter_partners(self.customers[4:5].ids, is_test=True)
        campaign.invalidate_recordset()
        self.assertEqual(campaign.target_count, 4)
        self.assertEqual(campaign.expected_order_count, 2)
        self.assertEqual(campaign.product_ids.expected_qty, 4)

    def test_quantities_net_of_stock_open_purchases_and_sales(self):
        campaign = self.create_campaign_with_offer([(self.product_oil, 40)])
        self.set_on_hand(self.product_oil, 30)
        self.create_purchase(self.vendor_olive, [(self.product_oil, 10)])  # draft
        partial = self.create_purchase(
            self.vendor_olive, [(self.product_oil, 20)], confirm=True
        )
        self.receive(partial, 5)
        line = self.line_of(self.propose(campaign), self.product_oil)
        # 3 expected orders of 40; forecast 35 on hand + 15 incoming; RFQ 10.
        self.assertRecordValues(
            line,
            [
                {
                    "planned_qty": 120,
                    "demand_qty": 120,
                    "qty_available": 35,
                    "incoming_qty": 15,
                    "forecast_qty": 50,
                    "rfq_qty": 10,
                    "to_order_qty": 60,
                    "purchase_qty": 60,
                    "partner_id": self.vendor_olive.id,
                }
            ],
        )
        # An order of the campaign (its UTM campaign) took 6 of the expected
        # 120, and its delivery lowers the forecast by as much: still 60.
        order = self.create_order(
            lines=[(self.product_oil, 6)], campaign_id=campaign.utm_campaign_id.id
        )
        order.action_confirm()
        line = self.line_of(self.propose(campaign), self.product_oil)
        self.assertRecordValues(
            line,
            [
                {
                    "planned_qty": 120,
                    "demand_qty": 114,
                    "forecast_qty": 44,
                    "to_order_qty": 60,
                }
            ],
        )

    def test_orders_grouped_by_vendor_linked_to_the_campaign(self):
        campaign = self.create_campaign_with_offer(
            [(self.product_oil, 2), (self.product_cheese, 1), (self.product_wine, 1)],
            rate=100,
        )
        proposal = self.propose(campaign)
        wine = self.line_of(proposal, self.product_wine)
        self.assertEqual(wine.to_order_qty, 6)  # bottles
        self.assertEqual(wine.purchase_qty, 2)  # dozens: the vendor's minimum
        action = proposal.with_user(self.user_buyer).action_create_purchase_orders()
        orders = campaign.purchase_order_ids
        self.assertEqual(len(orders), 2)
        self.assertEqual(action["domain"], [("mkt_campaign_id", "=", campaign.id)])
        olive = orders.filtered(lambda o: o.partner_id == self.vendor_olive)
        self.assertRecordValues(
            olive,
            [
                {
                    "state": "draft",
                    "origin": "Olive oil launch",
                    "mkt_campaign_id": campaign.id,
                    "mkt_promotion_id": False,
                }
            ],
        )
        self.assertEqual(
            sorted(olive.order_line.mapped("product_qty")), [6, 12]
        )  # cheese, oil
        self.assertRecordValues(
            (orders - olive).order_line,
            [{"product_id": self.product_wine.id, "product_qty": 2}],
        )
        self.assertEqual(campaign.purchase_order_count, 2)
        self.assertEqual(olive.action_view_mkt_campaign()["res_id"], campaign.id)
        self.assertTrue(campaign.purchase_proposal_date)
        self.assertIn(olive.name, campaign.message_ids[:1].body)
        # A second proposal finds the orders: nothing left to order.
        again = self.propose(campaign)
        self.assertEqual(set(again.line_ids.mapped("purchase_qty")), {0})
        with self.assertRaisesRegex(UserError, "Nothing to order"):
            again.with_user(self.user_buyer).action_create_purchase_orders()

    def test_demand_shared_with_promotion_actions(self):
        """A campaign and a promotion action offering the same product: one
        proposal covers both, the other then orders nothing twice."""
        promotion = self.create_promotion_with_plan([(self.product_oil, 100)])
        campaign = self.create_campaign_with_offer([(self.product_oil, 20)])  # 60
        line = self.line_of(self.propose(campaign), self.product_oil)
        self.assertEqual((line.planned_qty, line.demand_qty), (60, 160))
        self.propose(campaign).with_user(
            self.user_buyer
        ).action_create_purchase_orders()
        self.assertEqual(campaign.purchase_order_ids.order_line.product_qty, 160)
        self.assertTrue(promotion.purchase_proposal_date, "locked with the campaign")
        line = self.line_of(self.propose(promotion), self.product_oil)
        self.assertEqual(
            (line.planned_qty, line.demand_qty, line.rfq_qty, line.to_order_qty),
            (100, 160, 160, 0),
        )
        # Closed campaigns and templates expect nothing any more.
        campaign.action_done()
        line = self.line_of(self.propose(promotion), self.product_oil)
        self.assertEqual(line.demand_qty, 100)

    def test_refusals(self):
        no_articles = self.create_campaign(response_rate=10)
        with self.assertRaisesRegex(UserError, "offers no articles"):
            no_articles.with_user(self.user_buyer).action_propose_purchase()
        no_rate = self.create_campaign_with_offer([(self.product_oil, 1)], rate=0)
        with self.assertRaisesRegex(UserError, "expects no orders.*Response Rate"):
            no_rate.with_user(self.user_buyer).action_propose_purchase()
        no_customers = self.create_campaign_with_offer(
            [(self.product_oil, 1)], segment_id=False
        )
        with self.assertRaisesRegex(UserError, "no target customers"):
            no_customers.with_user(self.user_buyer).action_propose_purchase()
        template = self.create_campaign_with_offer(
            [(self.product_oil, 1)], is_template=True
        )
        with self.assertRaisesRegex(UserError, "is a template"):
            template.with_user(self.user_buyer).action_propose_purchase()
        done = self.create_campaign_with_offer([(self.product_oil, 1)])
        done.action_done()
        with self.assertRaisesRegex(UserError, "is closed"):
            done.with_user(self.user_buyer).action_propose_purchase()
        self.assertFalse(self.env["mkt.purchase.proposal"].search([]))

    def test_bad_input_is_refused(self):
        campaign = self.create_campaign_with_offer([(self.product_oil, 1)])
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            campaign.response_rate = 150
        with self.assertRaisesRegex(ValidationError, "Quantity per Order.*positive"):
            campaign.product_ids.qty_per_order = 0

    def test_services_are_not_purchased(self):
        service = self.env["product.product"].create(
            {"name": "Gift wrapping", "type": "service", "purchase_ok": True}
        )
        campaign = self.create_campaign_with_offer([(service, 1)])
        self.assertFalse(self.propose(campaign).line_ids)
