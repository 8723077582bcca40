from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._mkt_attribute_refunded_orders()
        return posted

    def button_draft(self):
        result = super().button_draft()
        self._mkt_attribute_refunded_orders()
        return result

    def _mkt_attribute_refunded_orders(self):
        """A credit note lowers the value of the orders it refunds."""
        refunds = self.filtered(lambda m: m.move_type == "out_refund")
        orders = refunds.line_ids.sale_line_ids.order_id
        if orders:
            orders._mkt_attribute()
