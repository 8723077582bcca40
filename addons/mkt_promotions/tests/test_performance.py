from odoo import Command
from odoo.tests import tagged

from .common import PromotionCommon


@tagged("post_install", "-at_install", "mkt")
class TestPerformance(PromotionCommon):
    """Applying a code costs the same number of queries whatever the number of
    running actions: resolution is one query, and only the action found is read."""

    def create_actions(self, numbers):
        return self.env["mkt.promotion"].create(
            [
                {
                    "name": f"Action {number}",
                    "code": f"A{number:03d}",
                    "prefix": f"A{number:03d}-",
                    "state": "running",
                    "line_ids": [
                        Command.create(
                            {"product_id": self.product_wine.id, "fixed_price": 11}
                        )
                    ],
                    "benefit_ids": [
                        Command.create(
                            {"benefit_type": "order_discount", "discount_value": 5}
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
                }
                for number in numbers
            ]
        )

    def queries_to_apply(self, code):
        order = self.create_order(
            lines=[
                (self.product_wine, 2),
                (self.product_cheese, 1),
                (self.product_oil, 3),
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        order.mkt_promotion_code = code
        self.env.flush_all()
        self.assertEqual(len(self.benefit_lines(order)), 3, "2 discount lines + gift")
        return self.cr.sql_log_count - before

    def test_query_count_does_not_grow_with_running_actions(self):
        self.create_actions(range(2))
        self.queries_to_apply("A001-1")  # warm the caches
        with_two = self.queries_to_apply("A000-2")
        self.create_actions(range(2, 60))
        with_sixty = self.queries_to_apply("A042-7")
        self.assertEqual(with_sixty, with_two)
