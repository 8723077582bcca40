from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from .common import PromotionCommon


@tagged("post_install", "-at_install", "mkt")
class TestPlanning(PromotionCommon):
    def run_action(self, code, circulation, sales, **values):
        """An action whose orders ``sales`` [(partner, product, qty)] are confirmed."""
        promotion = self.create_promotion(code=code, circulation=circulation, **values)
        for partner, product, qty in sales:
            self.create_order(
                partner, [(product, qty)], mkt_promotion_code=code
            ).action_confirm()
        return promotion

    def test_proposal_from_last_comparable_action_scaled_by_circulation(self):
        spring = self.run_action(
            "F26",
            1000,
            [
                (self.private, self.product_wine, 6),
                (self.business, self.product_wine, 4),
            ],
        )
        spring.write(
            {
                "date_start": self.today - timedelta(days=200),
                "date_end": self.today - timedelta(days=150),
                "state": "done",
            }
        )
        autumn = self.create_promotion(
            code="K26",
            circulation=1500,
            line_ids=[
                Command.create({"product_id": self.product_wine.id, "fixed_price": 12}),
                Command.create({"product_id": self.product_oil.id, "fixed_price": 8}),
            ],
        )
        autumn.action_propose_planned_quantities()
        wine, oil = autumn.line_ids
        self.assertEqual(wine.planned_qty, 15)
        self.assertIn("F26", wine.planned_basis)
        self.assertEqual(oil.planned_qty, 0)
        self.assertIn("last year", oil.planned_basis)
        wine.planned_qty = 20  # editable
        self.create_order(
            self.private, [(self.product_wine, 3)], mkt_promotion_code="K26"
        ).action_confirm()
        self.assertEqual(wine.actual_qty, 3)
        self.assertEqual(wine.planned_qty, 20)

    def test_proposal_from_same_period_last_year(self):
        year_ago = self.today - timedelta(days=365)
        self.create_customers_with_history(
            2, [year_ago + timedelta(days=1)], lines=[(self.product_oil, 7, None)]
        )
        promotion = self.create_promotion(
            code="NL",
            medium="newsletter",
            line_ids=[
                Command.create({"product_id": self.product_oil.id, "fixed_price": 8})
            ],
        )
        promotion.action_propose_planned_quantities()
        self.assertEqual(promotion.line_ids.planned_qty, 14)

    def test_control_report_planned_actual_target_groups_response_and_cost(self):
        promotion = self.create_promotion(
            code="K26",
            circulation=50,
            ad_cost=500,
            line_ids=[
                Command.create(
                    {
                        "product_id": self.product_wine.id,
                        "fixed_price": 12,
                        "planned_qty": 30,
                    }
                )
            ],
        )
        for partner, qty in ((self.private, 6), (self.private, 2), (self.business, 10)):
            self.create_order(
                partner, [(self.product_wine, qty)], mkt_promotion_code="K26"
            ).action_confirm()
        self.create_order(
            self.business, [(self.product_wine, 99)], mkt_promotion_code="K26"
        )
        Report = self.env["mkt.promotion.report"]
        self.env.flush_all()
        totals = Report._read_group(
            [("promotion_id", "=", promotion.id)],
            [],
            [
                "planned_qty:sum",
                "actual_qty:sum",
                "revenue:sum",
                "ad_cost:sum",
                "response_rate:sum",
            ],
        )[0]
        self.assertEqual(totals[:2], (30, 18))
        self.assertAlmostEqual(totals[2], 18 * 12)
        self.assertEqual(totals[3], 500)
        self.assertAlmostEqual(totals[4], 4.0, msg="2 customers of 50 pieces")
        by_group = dict(
            Report._read_group(
                [("promotion_id", "=", promotion.id), ("target_group", "!=", False)],
                ["target_group"],
                ["actual_qty:sum"],
            )
        )
        self.assertEqual(by_group, {"b2c": 8, "b2b": 10})

    def test_control_report_revenue_is_the_actions_revenue(self):
        """Benefit lines, shipping and orders in another currency: the report's
        revenue of an action is the revenue on the action's form."""
        foreign = self.env.ref("base.USD")
        if self.env.company.currency_id == foreign:
            foreign = self.env.ref("base.EUR")
        foreign.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": foreign.id, "rate": 1.25, "name": self.today}
        )
        foreign_prices = self.env["product.pricelist"].create(
            {"name": "Foreign", "currency_id": foreign.id}
        )
        promotion = self.create_promotion(
            code="K26",
            circulation=100,
            benefit_ids=[
                Command.create(
                    {"benefit_type": "order_discount", "discount_value": 10}
                ),
                Command.create(
                    {
                        "benefit_type": "gift",
                        "gift_tier_ids": [
                            Command.create(
                                {
                                    "threshold": 10,
                                    "product_id": self.product_gift_knife.id,
                                }
                            )
                        ],
                    }
                ),
            ],
        )
        euro_order = self.create_order(
            lines=[(self.product_cheese, 3)], mkt_promotion_code="K26"
        )
        euro_order.set_delivery_line(self.carrier, 4.95)
        foreign_order = self.create_order(
            self.business,
            [(self.product_wine, 7)],
            mkt_promotion_code="K26",
            pricelist_id=foreign_prices.id,
        )
        for order in euro_order | foreign_order:
            self.assertTrue(self.benefit_lines(order))
            order.action_confirm()
        self.assertEqual(
            (foreign_order.currency_id, foreign_order.currency_rate), (foreign, 1.25)
        )
        self.env.flush_all()
        (revenue, quantity) = self.env["mkt.promotion.report"]._read_group(
            [("promotion_id", "=", promotion.id)],
            [],
            ["revenue:sum", "actual_qty:sum"],
        )[0]
        self.assertAlmostEqual(revenue, promotion.revenue, places=2)
        self.assertAlmostEqual(
            promotion.revenue,
            euro_order.amount_untaxed + foreign_order.amount_untaxed / 1.25,
            places=2,
        )
        self.assertEqual(quantity, 10, "goods only: no gift, discount or shipping")

    def test_control_report_response_rate_is_never_summed(self):
        first = self.run_action("K26", 50, [(self.private, self.product_wine, 1)])
        second = self.run_action(
            "K27",
            150,
            [
                (self.private, self.product_wine, 1),
                (self.business, self.product_wine, 1),
                (self.business, self.product_cheese, 1),
            ],
        )
        self.env.flush_all()
        Report = self.env["mkt.promotion.report"]
        domain = [("promotion_id", "in", (first | second).ids)]
        per_action = dict(
            Report._read_group(domain, ["promotion_id"], ["response_rate:sum"])
        )
        self.assertAlmostEqual(per_action[first], 2.0, msg="1 customer of 50")
        self.assertAlmostEqual(per_action[second], 100 * 2 / 150)
        [(total,)] = Report._read_group(domain, [], ["response_rate:sum"])
        self.assertAlmostEqual(total, 1.5, msg="3 customers of 200 pieces")
        by_group = dict(
            Report._read_group(
                [*domain, ("target_group", "=", "b2b")],
                ["target_group"],
                ["response_rate:sum"],
            )
        )
        self.assertAlmostEqual(by_group["b2b"], 100 * 1 / 150)
