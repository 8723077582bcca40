from odoo.fields import Command
from odoo.tests import tagged

from .common import VoucherCommon


@tagged("post_install", "-at_install", "mkt")
class TestVoucherQueries(VoucherCommon):
    """Issuing the newsletter's codes and rendering them do not cost queries per
    recipient."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.members = cls.env["res.partner"].create(
            [
                {"name": f"Stammkunde {number}", "email": f"s{number}@example.com"}
                for number in range(210)
            ]
        )

    def count_queries(self, function):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        function()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_issuing_codes_is_set_based(self):
        program = self.program_regular
        source = self.source_newsletter
        program._mkt_issue_codes(self.regular_a, source)  # warm the caches
        small = self.count_queries(
            lambda: program._mkt_issue_codes(self.members[:10], source)
        )
        large = self.count_queries(
            lambda: program._mkt_issue_codes(self.members[10:], source)
        )
        self.assertEqual(len(program.coupon_ids), 211)
        # The ORM inserts (and updates the stored related fields of) 100 rows
        # per statement: beyond that, nothing grows with the recipients.
        self.assertLessEqual(large - small, 2 * (200 // 100))
        # pos_loyalty, installed with the point of sale, adds 2 constant queries.
        self.assertLessEqual(small, 22)

    def test_rendering_codes_is_set_based(self):
        self.program_regular._mkt_issue_codes(self.members, self.source_newsletter)
        Partner = self.env["res.partner"].with_context(
            mkt_voucher_program_id=self.program_regular.id
        )

        def read_codes(partners):
            return lambda: partners.mapped("mkt_voucher_code")

        small = self.count_queries(read_codes(Partner.browse(self.members[:10].ids)))
        large = self.count_queries(read_codes(Partner.browse(self.members.ids)))
        self.assertEqual(small, large)
        codes = Partner.browse(self.members.ids).mapped("mkt_voucher_code")
        self.assertEqual(len(set(codes)), 210)


@tagged("post_install", "-at_install", "mkt")
class TestAdaptiveDiscountQueries(VoucherCommon):
    """Issuing codes of a voucher with an adaptive discount evaluates the rules
    for all recipients with a fixed number of queries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer_class = cls.env["mkt.customer.class"].create(
            {"name": "Test B", "min_score": 9001}
        )
        cls.members = cls.env["res.partner"].create(
            [
                {"name": f"Stammkunde {number}", "email": f"s{number}@example.com"}
                for number in range(210)
            ]
        )
        cls.env["mkt.customer.score"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": cls.env.company.id,
                    "score": 9001,
                    "class_id": customer_class.id,
                    "trend": "declining" if number % 2 else "regular",
                    "score_date": "2026-01-01",
                }
                for number, partner in enumerate(cls.members)
            ]
        )
        # One order per customer in a single batch: last order facts for all.
        orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product_cheese.id,
                                "product_uom_qty": 1 + number % 30,
                                "price_unit": 20.0,
                            }
                        )
                    ],
                }
                for number, partner in enumerate(cls.members)
            ]
        )
        orders.action_confirm()
        cls.program_regular.write(
            {
                "mkt_discount_rule_ids": [
                    Command.create(
                        {
                            "condition": "trend",
                            "trend": "declining",
                            "discount_percent": 30,
                        }
                    ),
                    Command.create(
                        {
                            "condition": "last_order_amount",
                            "value_from": 300,
                            "discount_percent": 25,
                        }
                    ),
                    Command.create(
                        {
                            "condition": "days_since_order",
                            "value_from": 0,
                            "value_to": 30,
                            "discount_percent": 15,
                        }
                    ),
                    Command.create(
                        {
                            "condition": "customer_class",
                            "class_id": customer_class.id,
                            "discount_percent": 12,
                        }
                    ),
                ]
            }
        )

    def test_adaptive_codes_are_issued_set_based(self):
        program = self.program_regular
        source = self.source_newsletter
        program._mkt_issue_codes(self.regular_a, source)  # warm the caches
        count_queries = TestVoucherQueries.count_queries
        small = count_queries(
            self, lambda: program._mkt_issue_codes(self.members[:10], source)
        )
        large = count_queries(
            self, lambda: program._mkt_issue_codes(self.members[10:], source)
        )
        # Rules and facts cost the same for 10 and for 200 recipients; only
        # the ORM's inserts of 100 rows per statement grow.
        self.assertLessEqual(large - small, 2 * (200 // 100))
        self.assertLessEqual(small, 32)  # 2 of pos_loyalty, as above
        cards = program.coupon_ids.filtered(lambda c: c.partner_id in self.members)
        self.assertEqual(len(cards), 210)
        self.assertEqual(set(cards.mapped("mkt_discount_percent")), {30, 25, 15})

    def test_personal_discount_is_set_based(self):
        self.program_regular._mkt_issue_codes(self.members, self.source_newsletter)
        Partner = self.env["res.partner"]

        def personal_discounts(partners):
            return lambda: Partner.browse(partners.ids)._mkt_personal_discount()

        small = TestVoucherQueries.count_queries(
            self, personal_discounts(self.members[:10])
        )
        large = TestVoucherQueries.count_queries(self, personal_discounts(self.members))
        self.assertEqual(small, large)
        result = Partner.browse(self.members.ids)._mkt_personal_discount()
        self.assertEqual(len(result), 210)
        self.assertEqual({percent for percent, _code in result.values()}, {30, 25, 15})
