from odoo import api, models

from ..tools.codes import barcode_svg_data_uri


class ReportVoucherSheet(models.AbstractModel):
    _name = "report.mkt_voucher.report_voucher_sheet"
    _description = "Voucher Code Sheet"

    @api.model
    def _get_report_values(self, docids, data=None):
        cards = self.env["loyalty.card"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "loyalty.card",
            "docs": cards,
            "barcodes": {card.id: barcode_svg_data_uri(card.code) for card in cards},
        }
