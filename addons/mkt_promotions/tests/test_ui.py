from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import PromotionCommon


@tagged("post_install", "-at_install", "mkt")
class TestOrderEntryUi(HttpCase, PromotionCommon):
    def test_order_entry_tour(self):
        self.create_promotion(
            name="Autumn catalog",
            code="K26",
            prefix="K26-",
            line_ids=[
                Command.create(
                    {"product_id": self.product_cheese.id, "fixed_price": 16}
                )
            ],
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
                                    "threshold": 1,
                                    "product_id": self.product_gift_knife.id,
                                }
                            )
                        ],
                    }
                ),
            ],
        )
        order = self.create_order(user_id=self.user_salesman.id)
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "mkt_promotions_order_entry_tour",
            login="mkt_salesman",
        )
        self.assertEqual(order.mkt_promotion_code, "K26-0815")
        self.assertEqual(len(self.benefit_lines(order)), 2)
