from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PurchaseProposalCommon


@tagged("post_install", "-at_install", "mkt")
class TestPurchaseProposal(PurchaseProposalCommon):
    def test_quantities_net_of_stock_and_open_purchases(self):
        promotion = self.create_promotion_with_plan([(self.product_oil, 100)])
        self.set_on_hand(self.product_oil, 30)
        self.create_purchase(self.vendor_olive, [(self.product_oil, 10)])  # draft
        sent = self.create_purchase(self.vendor_olive, [(self.product_oil, 1)])
        sent.write({"state": "sent"})
        partial = self.create_purchase(
            self.vendor_olive, [(self.product_oil, 20)], confirm=True
        )
        self.receive(partial, 5)
        self.assertEqual(partial.order_line.qty_received, 5)

        line = self.line_of(self.propose(promotion), self.product_oil)
        self.assertRecordValues(
            line,
            [
                {
                    "planned_qty": 100,
                    "demand_qty": 100,
                    "qty_available": 35,
                    "incoming_qty": 15,
                    "forecast_qty": 50,
                    "rfq_qty": 11,
                    "to_order_qty": 39,
                    "purchase_qty": 39,
                    "partner_id": self.vendor_olive.id,
                }
            ],
        )

    def test_open_purchases_in_another_unit_count_in_the_product_unit(self):
        promotion = self.create_promotion_with_plan([(self.product_wine, 60)])
        self.create_purchase(
            self.vendor_wine, [(self.product_wine, 2, self.uom_dozen)]
        )  # 24 bottles
        line = self.line_of(self.propose(promotion), self.product_wine)
        self.assertEqual(line.rfq_qty, 24)
        self.assertEqual(line.to_order_qty, 36)
        self.assertEqual(line.purchase_qty, 3)  # dozens

    def test_demand_of_all_open_actions_and_sold_quantities(self):
        running = self.create_promotion_with_plan([(self.product_oil, 100)])
        self.create_promotion_with_plan(
            [(self.product_oil, 50)], code="NL", state="draft"
        )
        self.create_promotion_with_plan([(self.product_oil, 500)], code="F25").write(
            {"state": "done"}
        )
        self.set_on_hand(self.product_oil, 80)
        order = self.create_order(
            lines=[(self.product_oil, 10)], mkt_promotion_code="K26"
        )
        order.action_confirm()
        self.assertEqual(order.mkt_promotion_id, running)

        line = self.line_of(self.propose(running), self.product_oil)
        # Open demand 90 + 50; forecast 80 on hand less 10 to deliver.
        self.assertRecordValues(
            line,
            [
                {
                    "planned_qty": 100,
                    "demand_qty": 140,
                    "forecast_qty": 70,
                    "to_order_qty": 70,
                }
            ],
        )

    def test_orders_grouped_by_vendor_with_minimum_and_purchase_unit(self):
        promotion = self.create_promotion_with_plan(
            [(self.product_oil, 40), (self.product_cheese, 12), (self.product_wine, 6)]
        )
        proposal = self.propose(promotion)
        wine = self.line_of(proposal, self.product_wine)
        self.assertEqual(wine.to_order_qty, 6)  # bottles
        self.assertEqual(wine.purchase_qty, 2)  # dozens: the vendor's minimum
        self.assertEqual(wine.purchase_uom_id, self.uom_dozen)

        action = proposal.with_user(self.user_buyer).action_create_purchase_orders()
        orders = promotion.purchase_order_ids
        self.assertEqual(len(orders), 2)
        self.assertEqual(action["res_model"], "purchase.order")
        olive = orders.filtered(lambda o: o.partner_id == self.vendor_olive)
        self.assertRecordValues(
            olive,
            [{"state": "draft", "origin": "K26", "mkt_promotion_id": promotion.id}],
        )
        self.assertRecordValues(
            olive.order_line.sorted("product_qty"),
            [
                {
                    "product_id": self.product_cheese.id,
                    "product_qty": 12,
                    "price_unit": 11,
                },
                {"product_id": self.product_oil.id, "product_qty": 40, "price_unit": 6},
            ],
        )
        wine_order = orders - olive
        self.assertRecordValues(
            wine_order.order_line,
            [
                {
                    "product_id": self.product_wine.id,
                    "product_qty": 2,
                    "product_uom": self.uom_dozen.id,
                    "price_unit": 90,
                }
            ],
        )
        self.assertEqual(promotion.purchase_order_count, 2)
        self.assertEqual(wine_order.action_view_mkt_promotion()["res_id"], promotion.id)
        self.assertTrue(promotion.purchase_proposal_date)

    def test_buyer_adjusts_quantity_and_vendor(self):
        other_seller = self.env["product.supplierinfo"].create(
            {
                "partner_id": self.vendor_wine.id,
                "product_tmpl_id": self.product_oil.product_tmpl_id.id,
                "price": 7.5,
            }
        )
        promotion = self.create_promotion_with_plan([(self.product_oil, 40)])
        proposal = self.propose(promotion)
        self.line_of(proposal, self.product_oil).write(
            {"purchase_qty": 48, "seller_id": other_seller.id}
        )
        proposal.with_user(self.user_buyer).action_create_purchase_orders()
        self.assertRecordValues(
            promotion.purchase_order_ids.order_line,
            [{"product_qty": 48, "price_unit": 7.5}],
        )
        self.assertEqual(promotion.purchase_order_ids.partner_id, self.vendor_wine)

    def test_below_vendor_minimum_is_refused(self):
        promotion = self.create_promotion_with_plan([(self.product_wine, 36)])
        proposal = self.propose(promotion)
        self.line_of(proposal, self.product_wine).purchase_qty = 1
        with self.assertRaisesRegex(UserError, "from 2.0 Dozens"):
            proposal.with_user(self.user_buyer).action_create_purchase_orders()
        self.assertFalse(promotion.purchase_order_ids)

    def test_products_without_vendor_create_nothing(self):
        promotion = self.create_promotion_with_plan(
            [(self.product_oil, 10), (self.product_no_vendor, 5)]
        )
        proposal = self.propose(promotion)
        self.assertEqual(proposal.missing_vendor_products, "Truffle salt")
        purchases = self.env["purchase.order"].search_count([])
        with self.assertRaisesRegex(
            UserError, "No vendor for these products.*Truffle salt"
        ):
            proposal.with_user(self.user_buyer).action_create_purchase_orders()
        self.assertEqual(self.env["purchase.order"].search_count([]), purchases)
        # Ordering none of it lets the rest through.
        self.line_of(proposal, self.product_no_vendor).purchase_qty = 0
        proposal.with_user(self.user_buyer).action_create_purchase_orders()
        self.assertEqual(
            promotion.purchase_order_ids.order_line.product_id, self.product_oil
        )

    def test_second_run_does_not_propose_again(self):
        promotion = self.create_promotion_with_plan(
            [(self.product_oil, 40), (self.product_wine, 30)]
        )
        self.propose(promotion).with_user(
            self.user_buyer
        ).action_create_purchase_orders()
        again = self.propose(promotion)
        self.assertEqual(set(again.line_ids.mapped("purchase_qty")), {0})
        self.assertEqual(self.line_of(again, self.product_oil).rfq_qty, 40)
        with self.assertRaisesRegex(UserError, "Nothing to order"):
            again.with_user(self.user_buyer).action_create_purchase_orders()
        # Confirmed, the orders are incoming stock: still covered.
        promotion.purchase_order_ids.button_confirm()
        third = self.propose(promotion)
        self.assertEqual(set(third.line_ids.mapped("purchase_qty")), {0})
        self.assertEqual(self.line_of(third, self.product_oil).incoming_qty, 40)
        self.assertEqual(len(promotion.purchase_order_ids), 2)

    def test_one_proposal_covers_the_demand_of_all_open_actions(self):
        first = self.create_promotion_with_plan([(self.product_oil, 40)])
        second = self.create_promotion_with_plan(
            [(self.product_oil, 10)], code="NL", state="draft"
        )
        self.propose(first).with_user(self.user_buyer).action_create_purchase_orders()
        self.assertEqual(first.purchase_order_ids.order_line.product_qty, 50)
        line = self.line_of(self.propose(second), self.product_oil)
        self.assertEqual(
            (line.demand_qty, line.rfq_qty, line.to_order_qty), (50, 50, 0)
        )
        # More demand planned later is proposed on its own.
        second.line_ids.planned_qty = 25
        line = self.line_of(self.propose(second), self.product_oil)
        self.assertEqual(
            (line.demand_qty, line.rfq_qty, line.to_order_qty), (65, 50, 15)
        )

    def test_stale_proposal_is_refused(self):
        promotion = self.create_promotion_with_plan([(self.product_oil, 40)])
        proposal = self.propose(promotion)
        self.create_purchase(self.vendor_olive, [(self.product_oil, 30)])
        with self.assertRaisesRegex(UserError, "changed since this proposal"):
            proposal.with_user(self.user_buyer).action_create_purchase_orders()
        self.assertFalse(promotion.purchase_order_ids)

    def test_goods_not_tracked_in_stock_net_open_purchases_only(self):
        self.product_oil.is_storable = False
        promotion = self.create_promotion_with_plan([(self.product_oil, 40)])
        partial = self.create_purchase(
            self.vendor_olive, [(self.product_oil, 20)], confirm=True
        )
        self.receive(partial, 5)
        line = self.line_of(self.propose(promotion), self.product_oil)
        self.assertRecordValues(
            line, [{"qty_available": 0, "incoming_qty": 15, "to_order_qty": 25}]
        )

    def test_services_and_ended_actions_are_not_purchased(self):
        service = self.env["product.product"].create(
            {"name": "Gift wrapping", "type": "service", "purchase_ok": True}
        )
        promotion = self.create_promotion_with_plan([(service, 10)])
        self.assertFalse(self.propose(promotion).line_ids)
        promotion.action_done()
        with self.assertRaisesRegex(UserError, "has ended"):
            promotion.with_user(self.user_buyer).action_propose_purchase()

    def test_other_companies_stock_purchases_and_vendors_do_not_count(self):
        other = self.env["res.company"].create({"name": "Feinkost Süd GmbH"})
        self.user_buyer.company_ids |= other
        other_warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", other.id)], limit=1
        )
        self.set_on_hand(self.product_oil, 500, warehouse=other_warehouse)
        self.create_purchase(
            self.vendor_olive, [(self.product_oil, 300)], company=other
        )
        self.product_oil.seller_ids.company_id = other
        promotion = self.create_promotion_with_plan([(self.product_oil, 40)])
        proposal = self.propose(promotion)
        line = self.line_of(proposal, self.product_oil)
        self.assertRecordValues(
            line,
            [
                {
                    "qty_available": 0,
                    "rfq_qty": 0,
                    "to_order_qty": 40,
                    "seller_id": False,
                }
            ],
        )
        # The other company's action sees its own stock and vendor.
        other_promotion = self.create_promotion_with_plan(
            [(self.product_oil, 900)], code="S26", company_id=other.id
        )
        line = self.line_of(self.propose(other_promotion), self.product_oil)
        self.assertRecordValues(
            line,
            [
                {
                    "qty_available": 500,
                    "rfq_qty": 300,
                    "to_order_qty": 100,
                    "seller_id": self.product_oil.seller_ids.id,
                }
            ],
        )

    def test_proposal_reads_stock_and_purchases_once(self):
        """A fixed number of queries whatever the number of products."""
        products = self.env["product.product"].create(
            [
                {
                    "name": f"Spice {n}",
                    "type": "consu",
                    "is_storable": True,
                    "seller_ids": [
                        Command.create({"partner_id": self.vendor_olive.id, "price": 2})
                    ],
                }
                for n in range(24)
            ]
        )
        small = self.create_promotion_with_plan([(p, 10) for p in products[:3]])
        large = self.create_promotion_with_plan([(p, 10) for p in products], code="G26")
        for product in products:
            self.set_on_hand(product, 4)
        self.create_purchase(self.vendor_olive, [(p, 1) for p in products])
        self.env.invalidate_all()
        small._get_purchase_needs()  # warm-up: caches of models and units
        self.env.invalidate_all()
        with self.assertQueryCount(20):
            small._get_purchase_needs()
        self.env.invalidate_all()
        with self.assertQueryCount(20):
            needs = large._get_purchase_needs()
        # 10 planned by each action (20 for the first three), 4 on hand, 1 in RFQs.
        self.assertEqual(
            sorted(values["to_order_qty"] for values in needs), [5] * 21 + [15] * 3
        )
