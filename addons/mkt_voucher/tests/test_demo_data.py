from odoo.tests import tagged

from odoo.addons.mkt_scoring.tests.common import MktCommon


@tagged("post_install", "-at_install", "mkt")
class TestVoucherDemoData(MktCommon):
    def test_demo_tells_the_story_of_both_vouchers(self):
        Demo = self.env["mkt.demo.data"]
        Demo._generate(b2c_count=12, b2b_count=4)
        Demo._generate_vouchers()
        regular = self.env["loyalty.program"].search(
            [("name", "=", "20 % für Stammkunden")]
        )
        welcome = self.env.company.mkt_welcome_program_id
        self.assertTrue(regular.mkt_segment_id)
        self.assertEqual(welcome.name, "10 EUR Willkommensgutschein")
        self.assertEqual(
            set(welcome.mkt_shared_rule_ids.mapped("code")), {"KATALOG10", "MESSE10"}
        )
        winback = self.env["loyalty.program"].search(
            [("mkt_discount_rule_ids", "!=", False)]
        )
        self.assertEqual(len(winback), 1)
        cards = winback.coupon_ids
        self.assertTrue(cards)
        self.assertTrue(all(cards.mapped("mkt_discount_adaptive")))
        self.assertGreater(
            len(set(cards.mapped("mkt_discount_percent"))),
            1,
            "different discounts per class and trend",
        )
        subscriptions = self.env["mkt.newsletter.subscription"].search([])
        self.assertEqual(set(subscriptions.mapped("state")), {"pending", "confirmed"})

        self.env.flush_all()
        rows = self.env["mkt.voucher.redemption.report"]._read_group(
            [],
            ["program_id"],
            [
                "codes_issued:sum",
                "codes_redeemed:sum",
                "order_count:sum",
                "revenue:sum",
            ],
        )
        figures = {program: values for program, *values in rows}
        for program in (regular, welcome):
            issued, redeemed, orders, revenue = figures[program]
            self.assertGreater(issued, redeemed, program.name)
            self.assertGreater(redeemed, 0, program.name)
            self.assertGreaterEqual(orders, redeemed, program.name)
            self.assertGreater(revenue, 100 * orders, program.name)
