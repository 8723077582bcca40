from odoo import api, fields, models


class MktVoucherCodeAttempt(models.Model):
    """A wrong voucher code entered on an order: counted to throttle guessing."""

    _name = "mkt.voucher.code.attempt"
    _description = "Wrong Voucher Code Attempt"
    _order = "id desc"

    order_id = fields.Many2one("sale.order", ondelete="cascade", index=True)
    user_id = fields.Many2one("res.users", ondelete="cascade")
    session_key = fields.Char(index=True)
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")

    @api.autovacuum
    def _gc_old_attempts(self):
        """Attempts only matter for minutes: drop those older than a day."""
        self.search(
            [
                (
                    "create_date",
                    "<",
                    fields.Datetime.subtract(fields.Datetime.now(), days=1),
                )
            ]
        ).unlink()
