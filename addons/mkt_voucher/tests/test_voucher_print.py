import base64
import csv
import io

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.mkt_voucher.tools.codes import CODE_ALPHABET

from .common import VoucherCommon


@tagged("post_install", "-at_install", "mkt")
class TestVoucherPrint(VoucherCommon):
    def wizard(self, **values):
        action = self.program_welcome.action_mkt_print_codes()
        return (
            self.env["mkt.voucher.print"]
            .with_user(self.user_marketing)
            .with_context(**action["context"])
            .create(values)
        )

    def test_codes_are_unguessable_and_readable(self):
        wizard = self.wizard(quantity=200)
        cards = wizard._generate_cards()
        self.assertEqual(len(cards), 200)
        self.assertEqual(len(set(cards.mapped("code"))), 200)
        for code in cards.mapped("code"):
            self.assertGreaterEqual(len(code), 10)
            self.assertLessEqual(set(code), set(CODE_ALPHABET))
        for ambiguous in "0O1IL5S8B2Z":
            self.assertNotIn(ambiguous, CODE_ALPHABET)
        self.assertEqual(cards.mkt_source_id, self.source_print)
        self.assertEqual(set(cards.mapped("points")), {1})
        self.assertFalse(cards.partner_id)

    def test_pdf_sheet_with_barcodes(self):
        wizard = self.wizard(quantity=3)
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "mkt_voucher.report_voucher_sheet")
        cards = wizard.card_ids
        self.assertEqual(len(cards), 3)
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html("mkt_voucher.report_voucher_sheet", cards.ids)[
            0
        ]
        html = html.decode()
        for card in cards:
            self.assertIn(card.code, html)
        self.assertEqual(html.count("data:image/svg+xml;base64,"), 3)
        # Really through wkhtmltopdf (tests render HTML unless forced).
        pdf = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "mkt_voucher.report_voucher_sheet", cards.ids
        )[0]
        self.assertTrue(pdf.startswith(b"%PDF"))
        # Printing again gives the same codes, not new ones.
        wizard.action_print()
        self.assertEqual(wizard.card_ids, cards)

    def test_csv_export(self):
        wizard = self.wizard(quantity=4)
        action = wizard.action_export_csv()
        self.assertIn("/csv_file/", action["url"])
        content = base64.b64decode(wizard.csv_file).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(content), delimiter=";"))
        self.assertEqual(rows[0][0], "Code")
        self.assertEqual(
            sorted(row[0] for row in rows[1:]), sorted(wizard.card_ids.mapped("code"))
        )
        self.assertEqual({row[1] for row in rows[1:]}, {"10 EUR welcome voucher"})

    def test_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "between 1 and 10000"):
            self.wizard(quantity=0)
        promotion = self.env["loyalty.program"].create(
            {"name": "Automatic promotion", "program_type": "promotion"}
        )
        with self.assertRaisesRegex(ValidationError, "does not use single-use codes"):
            self.wizard(program_id=promotion.id)

    def test_voucher_enclosed_with_an_order(self):
        order = self.make_order(self.regular_a, 2)
        order.action_confirm()
        action = order.action_mkt_enclose_voucher()
        wizard = (
            self.env["mkt.voucher.print"]
            .with_context(**action["context"])
            .create({"program_id": self.program_welcome.id})
        )
        self.assertEqual(wizard.quantity, 1)
        card = wizard._generate_cards()
        self.assertEqual(card.order_id, order)
        self.assertEqual(card.partner_id, self.regular_a)
