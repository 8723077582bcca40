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
        self.assertLessEqual(small, 20)

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
