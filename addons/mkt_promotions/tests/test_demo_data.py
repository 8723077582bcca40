from odoo.tests import tagged

from odoo.addons.mkt_scoring.tests.common import MktCommon


@tagged("post_install", "-at_install", "mkt")
class TestPromotionDemo(MktCommon):
    def test_demo_actions_with_orders_and_planning(self):
        self.env["mkt.demo.data"]._generate(b2c_count=30, b2b_count=5)
        self.env["mkt.demo.data"]._generate_promotions()
        actions = {
            action.code: action
            for action in self.env["mkt.promotion"].search(
                [("company_id", "=", self.company.id)]
            )
        }
        self.assertEqual(set(actions), {"F26", "K26", "NL-NOV", "WM26"})
        self.assertEqual(actions["F26"].state, "done")
        self.assertEqual(actions["F26"].order_count, 30)
        self.assertEqual(actions["K26"].order_count, 25)
        self.assertEqual(
            self.env["sale.order"].search_count(
                [("mkt_promotion_id", "=", actions["K26"].id), ("state", "=", "draft")]
            ),
            3,
            "quotations to try the benefits on",
        )
        self.assertTrue(
            all(actions["K26"].line_ids.mapped("planned_basis")),
            "planned from the spring catalog or last year",
        )
        self.assertTrue(actions["K26"].earlybird_granted)
        customers = (
            self.env["sale.order"]
            .search([("mkt_promotion_id", "=", actions["NL-NOV"].id)])
            .partner_id
        )
        self.assertFalse(customers.filtered("is_company"), "the newsletter is B2C")
