from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import AnalyticsCommon


class DashboardCommon(AnalyticsCommon):
    """A promotion action (advertising cost 50 EUR, a 30 EUR printer's bill)
    that earned one order of 45 EUR; a mailing that earned nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.promotion = cls.create_promotion(code="K26", circulation=100, ad_cost=50)
        bill = cls.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": cls.env["res.partner"].create({"name": "Druckerei"}).id,
                "invoice_date": cls.today,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Printing K26",
                            "quantity": 1,
                            "price_unit": 30,
                            "tax_ids": [Command.clear()],
                            "analytic_distribution": {
                                str(cls.promotion.analytic_account_id.id): 100
                            },
                        }
                    )
                ],
            }
        )
        bill.action_post()
        cls.add_trace(cls.mailing_autumn, cls.anna, sent=3)
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.bert.id,
                "mkt_promotion_code": "K26",
                # Salespeople see their own orders: this one is the user's.
                "user_id": cls.user_marketing.id,
                "order_line": [cls.line(cls.product_wine, 3)],
            }
        )
        order.action_confirm()
        cls.order = order


@tagged("post_install", "-at_install", "mkt")
class TestDashboardData(DashboardCommon):
    def test_key_figures(self):
        data = (
            self.env["mkt.performance.report"]
            .with_user(self.user_marketing)
            .get_dashboard_data()
        )
        self.assertEqual(data["totals"]["revenue"], 45)
        self.assertEqual(data["totals"]["cost"], 80)
        self.assertAlmostEqual(data["totals"]["roi"], (45 - 80) / 80)
        [roi_row] = data["roi_rows"]
        self.assertEqual(roi_row["name"], "K26 Action K26")
        self.assertEqual(
            [row["name"] for row in data["mailings"]], ["Autumn delicacies"]
        )
        self.assertEqual(data["demand"][0]["name"], self.promotion.display_name)
        self.assertEqual(data["demand"][0]["actual"], 3)

    def test_salesman_gets_no_dashboard(self):
        with self.assertRaises(AccessError):
            self.env["mkt.performance.report"].with_user(
                self.user_salesman
            ).get_dashboard_data()


@tagged("post_install", "-at_install", "mkt")
class TestDashboardUi(HttpCase, DashboardCommon):
    def test_dashboard_tour(self):
        self.start_tour(
            "/odoo/action-mkt_analytics.mkt_dashboard_action",
            "mkt_analytics_dashboard_tour",
            login=self.user_marketing.login,
        )
