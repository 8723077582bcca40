from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class MktShippingFlatrate(models.Model):
    """A shipping flat rate a customer bought: it runs from the order for the
    product's number of months."""

    _name = "mkt.shipping.flatrate"
    _description = "Shipping Flat Rate"
    _order = "date_end desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    product_id = fields.Many2one("product.product", required=True)
    order_id = fields.Many2one("sale.order", readonly=True, index="btree_not_null")
    date_start = fields.Date(required=True)
    date_end = fields.Date(required=True)
    is_running = fields.Boolean(compute="_compute_is_running")

    @api.depends("date_start", "date_end")
    def _compute_is_running(self):
        today = fields.Date.context_today(self)
        for flatrate in self:
            flatrate.is_running = flatrate.date_start <= today <= flatrate.date_end

    @api.model
    def _values_for_order_line(self, line):
        start = fields.Date.context_today(self, line.order_id.date_order)
        return {
            "partner_id": line.order_id.partner_id.commercial_partner_id.id,
            "company_id": line.order_id.company_id.id,
            "product_id": line.product_id.id,
            "order_id": line.order_id.id,
            "date_start": start,
            "date_end": start
            + relativedelta(months=line.product_id.mkt_flatrate_months, days=-1),
        }

    @api.model
    def _running_for_order(self, order):
        """The flat rate that covers ``order``: a running one of the customer, or
        one the order itself buys."""
        if order.order_line.filtered(
            lambda line: line.product_id.mkt_flatrate_months and not line.display_type
        ):
            return True
        day = fields.Date.context_today(self, order.date_order)
        return bool(
            self.sudo().search_count(
                [
                    ("partner_id", "=", order.partner_id.commercial_partner_id.id),
                    ("company_id", "=", order.company_id.id),
                    ("date_start", "<=", day),
                    ("date_end", ">=", day),
                ],
                limit=1,
            )
        )
