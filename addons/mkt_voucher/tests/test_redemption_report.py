from odoo.tests import tagged

from .common import VoucherCommon


@tagged("post_install", "-at_install", "mkt")
class TestRedemptionReport(VoucherCommon):
    def test_figures_per_program_and_channel(self):
        # Newsletter: two codes, one redeemed by a regular customer who had
        # ordered before (not new).
        earlier = self.make_order(self.regular_a, 1)
        earlier.action_confirm()
        self.program_regular._mkt_issue_codes(
            self.regular_a | self.regular_b, self.source_newsletter
        )
        card_a = self.program_regular.coupon_ids.filtered(
            lambda c: c.partner_id == self.regular_a
        )
        order = self.make_order(self.regular_a, 10)  # 200 EUR, 40 EUR off
        self.apply_code(order, card_a.code)
        order.action_confirm()
        # Print: three codes, none redeemed. Trade fair: the shared code won a
        # new customer.
        for _number in range(3):
            self.issue_card(self.program_welcome, source=self.source_print)
        newcomer = self.env["res.partner"].create({"name": "Messebesucherin"})
        fair_order = self.make_order(newcomer, 5)  # 100 EUR, 10 EUR off
        self.apply_code(fair_order, "MESSE10")
        fair_order.action_confirm()
        self.env.flush_all()

        Report = self.env["mkt.voucher.redemption.report"].with_user(
            self.user_marketing
        )
        rows = Report._read_group(
            [("program_id", "in", (self.program_regular | self.program_welcome).ids)],
            ["program_id", "source_id"],
            [
                "codes_issued:sum",
                "codes_redeemed:sum",
                "redemption_rate:avg",
                "order_count:sum",
                "revenue:sum",
                "discount:sum",
                "new_customer_count:sum",
            ],
        )
        figures = {
            (program.name, source.name): tuple(
                round(value, 2) if value is not None else None for value in values
            )
            for program, source, *values in rows
        }
        self.assertEqual(
            figures,
            {
                ("20 % for regular customers", "Newsletter"): (
                    2, 1, 50.0, 1, 160.0, 40.0, 0,
                ),
                ("10 EUR welcome voucher", "Print Media"): (
                    3, 0, 0.0, 0, 0.0, 0.0, 0,
                ),
                ("10 EUR welcome voucher", "Trade Fair"): (
                    0, 0, 0.0, 1, 90.0, 10.0, 1,
                ),
            },
        )  # fmt: skip
