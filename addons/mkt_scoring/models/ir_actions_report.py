from odoo import models
from odoo.tools.pdf import merge_pdf


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _run_wkhtmltopdf(self, bodies, *args, **kwargs):
        """Print several documents at once also with Debian's wkhtmltopdf.

        Built without Odoo's patched Qt (the package the set-up installs), it
        returns an empty file for more than one HTML body: a batch of campaign
        letters, or two invoices printed together. Each body is then printed on
        its own and the PDFs are merged, in the order of the records.
        """
        pdf = super()._run_wkhtmltopdf(bodies, *args, **kwargs)
        if pdf or len(bodies) < 2:
            return pdf
        return merge_pdf(
            [
                super(IrActionsReport, self)._run_wkhtmltopdf([body], *args, **kwargs)
                for body in bodies
            ]
        )
