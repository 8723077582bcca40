from odoo import models

# Order fields whose change can change an order's attribution.
ATTRIBUTION_TRIGGERS = {"state", "partner_id", "date_order", "source_id"}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            # Confirmed orders are attributed at once, cancelled ones dropped.
            self._mkt_attribute()
        elif ATTRIBUTION_TRIGGERS & set(vals):
            self.filtered(lambda o: o.state == "sale")._mkt_attribute()
        return result

    def _mkt_attribute(self):
        """Attribute the orders anew (those not confirmed lose their rows)."""
        if self.ids:
            self.env["mkt.attribution"].sudo()._attribute_orders(self.ids)
