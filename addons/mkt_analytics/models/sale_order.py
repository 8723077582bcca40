from collections import defaultdict

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

    def action_confirm(self):
        result = super().action_confirm()
        self._mkt_apply_campaign_analytic()
        return result

    def _mkt_apply_campaign_analytic(self):
        """Revenue attributed to a campaign goes to the campaign's analytic
        account as well, in the share the attribution gives the campaign (order
        lines without an analytic distribution of their own), so that the
        standard analytic reports agree with ours."""
        rows = (
            self.env["mkt.attribution"]
            .sudo()
            .search(
                [
                    ("order_id", "in", self.ids),
                    ("campaign_id.analytic_account_id", "!=", False),
                ]
            )
        )
        shares = defaultdict(lambda: defaultdict(float))
        for row in rows:
            account = row.campaign_id.analytic_account_id
            shares[row.order_id][str(account.id)] += row.weight * 100
        for order, distribution in shares.items():
            lines = order.order_line.filtered(
                lambda line: not line.display_type and not line.analytic_distribution
            )
            if lines:
                lines.with_context(
                    mkt_defer_promotion=True
                ).analytic_distribution = dict(distribution)

    def _mkt_attribute(self):
        """Attribute the orders anew (those not confirmed lose their rows)."""
        if self.ids:
            self.env["mkt.attribution"].sudo()._attribute_orders(self.ids)
