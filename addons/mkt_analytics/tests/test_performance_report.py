from odoo import Command
from odoo.tests import tagged

from .common import AnalyticsCommon


@tagged("post_install", "-at_install", "mkt")
class TestPerformanceReport(AnalyticsCommon):
    """One mailing, one promotion action, counted by hand.

    Autumn mailing: delivered to Anna (clicked), Bert (opened) and Clara (not
    opened), bounced for a fourth address. Anna orders 40 and 80 EUR; the 80 EUR
    order is credited by a quarter (60 EUR left). Bert orders 45 EUR with the
    promotion code K26 (circulation 100, advertising cost 50 EUR and a 30 EUR
    printer's bill with the action's analytic distribution).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_trace(cls.mailing_autumn, cls.anna, sent=12, opened=11, clicked=10)
        cls.add_trace(cls.mailing_autumn, cls.bert, sent=12, opened=5)
        cls.add_trace(cls.mailing_autumn, cls.clara, sent=12)
        cls.env["mailing.trace"].create(
            {
                "mass_mailing_id": cls.mailing_autumn.id,
                "model": "res.partner",
                "res_id": cls.clara.id,
                "email": "old@example.com",
                "trace_status": "bounce",
            }
        )
        cls.promotion = cls.create_promotion(code="K26", circulation=100, ad_cost=50)
        cls.printer = cls.env["res.partner"].create({"name": "Druckerei Hansen"})
        bill = cls.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": cls.printer.id,
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

    def setUp(self):
        super().setUp()
        self.order_small = self.confirm_order(self.anna, [(self.product_cheese, 2)])
        self.order_big = self.confirm_order(self.anna, [(self.product_cheese, 4)])
        self.invoice_and_refund(self.order_big, share=0.25)
        self.order_promo = self.confirm_order(
            self.bert, [(self.product_wine, 3)], mkt_promotion_code="K26"
        )
        # The promotion's revenue reaches its analytic account as well.
        self.order_promo._create_invoices().action_post()

    def report_row(self, **key):
        field_name, record = next(iter(key.items()))
        return self.env["mkt.performance.report"].search([(field_name, "=", record.id)])

    def test_mailing_figures(self):
        row = self.report_row(mailing_id=self.mailing_autumn)
        self.assertEqual(row.touch_kind, "mailing")
        self.assertEqual(row.name, "Autumn delicacies")
        self.assertEqual(row.currency_id, self.env.company.currency_id)
        self.assertEqual(
            (row.recipients, row.opened, row.clicked, row.buyers, row.click_buyers),
            (3, 2, 1, 1, 1),
        )
        self.assertEqual(row.orders, 2)
        self.assertEqual(row.revenue, 100)
        self.assertEqual(
            (row.order_value_min, row.order_value_avg, row.order_value_max),
            (40, 50, 60),
        )
        self.assertAlmostEqual(row.clicked_bought_rate, 1 / 3)
        self.assertEqual(row.clickers_bought_rate, 1)
        self.assertAlmostEqual(row.revenue_per_recipient, 100 / 3)
        self.assertEqual(row.cost, 0)
        self.assertFalse(row.roi, "no cost, no ROI")

    def test_promotion_figures_with_costs_from_the_analytic_account(self):
        row = self.report_row(promotion_id=self.promotion)
        self.assertEqual((row.recipients, row.buyers, row.orders), (100, 1, 1))
        self.assertEqual(row.revenue, 45)
        # Advertising cost and the printer's bill; the invoice is no cost.
        self.assertEqual(row.cost, 80)
        self.assertAlmostEqual(row.roi, (45 - 80) / 80)
        self.assertAlmostEqual(row.revenue_per_recipient, 0.45)

    def test_grouped_ratios_are_ratios_of_sums(self):
        report = self.env["mkt.performance.report"]
        domain = [
            "|",
            ("mailing_id", "=", self.mailing_autumn.id),
            ("promotion_id", "=", self.promotion.id),
        ]
        [group] = report.read_group(
            domain,
            [
                "recipients:sum",
                "revenue:sum",
                "cost:sum",
                "roi",
                "revenue_per_recipient",
                "order_value_avg",
                "order_value_min",
                "order_value_max",
            ],
            [],
        )
        self.assertEqual(group["recipients"], 103)
        self.assertEqual(group["revenue"], 145)
        self.assertAlmostEqual(group["roi"], (145 - 80) / 80)
        self.assertAlmostEqual(group["revenue_per_recipient"], 145 / 103)
        self.assertAlmostEqual(group["order_value_avg"], 145 / 3)
        self.assertEqual((group["order_value_min"], group["order_value_max"]), (40, 60))

    def test_drill_down_to_the_orders(self):
        row = self.report_row(mailing_id=self.mailing_autumn)
        action = row.action_open_orders()
        orders = self.env["sale.order"].search(action["domain"])
        self.assertEqual(orders, self.order_small | self.order_big)
        action = row.action_open_attributions()
        rows = self.env["mkt.attribution"].search(action["domain"])
        self.assertEqual(rows.order_id, self.order_small | self.order_big)

    def test_linear_rule_shares_orders_and_revenue(self):
        self.add_trace(self.mailing_advent, self.bert, sent=4, clicked=2)
        self.set_rule("linear")
        row = self.report_row(promotion_id=self.promotion)
        self.assertEqual(row.orders, 0.5)
        self.assertEqual(row.revenue, 22.5)
        advent = self.report_row(mailing_id=self.mailing_advent)
        self.assertEqual((advent.orders, advent.revenue), (0.5, 22.5))
        self.assertEqual(advent.order_value_max, 45, "order values stay whole")

    def test_marketing_user_reads_the_report_salesman_does_not(self):
        report = self.env["mkt.performance.report"]
        rows = report.with_user(self.user_marketing).search([])
        self.assertIn(self.mailing_autumn, rows.mailing_id)
        self.assertFalse(report.with_user(self.user_salesman).has_access("read"))

    def test_report_query_count_does_not_grow_with_rows(self):
        report = self.env["mkt.performance.report"].with_user(self.user_marketing)
        fields = ["name", "recipients", "buyers", "revenue", "cost", "roi"]
        report.search_read([], fields)
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            report.search_read([], fields)
        self.add_trace(self.mailing_advent, self.clara, sent=2, clicked=1)
        self.confirm_order(self.clara)
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            report.search_read([], fields)

    def test_vouchers_codes_issued_as_in_the_redemption_report(self):
        """A printed code is issued; the card core creates for an order that
        typed the program's shared code is not."""
        program = self.env["loyalty.program"].create(
            {
                "name": "Welcome voucher",
                "program_type": "coupons",
                "rule_ids": [
                    Command.create({"mode": "auto", "reward_point_mode": "order"}),
                    Command.create({"code": "SHARED10"}),
                ],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": 10,
                            "discount_mode": "per_order",
                            "required_points": 1,
                        }
                    )
                ],
            }
        )
        self.env["loyalty.card"].with_context(loyalty_no_mail=True).create(
            {"program_id": program.id, "points": 1}
        )
        order = self.create_order(self.anna, [(self.product_cheese, 3)])
        status = order._try_apply_code("SHARED10")
        for coupon, rewards in status.items():
            order._apply_program_reward(rewards[:1], coupon)
        order.action_confirm()
        self.assertEqual(len(program.coupon_ids), 2, "the printed code and the order's")
        self.env.flush_all()
        [(issued,)] = self.env["mkt.voucher.redemption.report"]._read_group(
            [("program_id", "=", program.id)], [], ["codes_issued:sum"]
        )
        self.assertEqual(issued, 1)
        self.assertEqual(self.report_row(program_id=program).recipients, issued)
