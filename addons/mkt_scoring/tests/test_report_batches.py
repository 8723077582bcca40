import io

from PyPDF2 import PdfFileReader

from odoo.tests import tagged

from .common import MktCommon


@tagged("post_install", "-at_install", "mkt")
class TestReportBatches(MktCommon):
    def test_several_documents_print_as_one_pdf(self):
        orders = self.env["sale.order"].create(
            [
                {"partner_id": self.env["res.partner"].create({"name": n}).id}
                for n in "AB"
            ]
        )
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("sale.report_saleorder", orders.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertGreaterEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 2)
