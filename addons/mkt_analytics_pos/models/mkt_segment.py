"""The point of sale as a purchase channel of the segments.

Paid, posted and invoiced POS orders of a customer are purchases like
confirmed sale orders: the product, category, price band and sales team
criteria look at their lines too, and two criteria say where the customer
bought: at given point of sale shops (``pos.config``) and at given stores.
A store is a warehouse (``stock.warehouse``, its address is the store's):
the POS shops selling from it (their operation type's warehouse) and the
sale orders shipped from it (sale_stock) are purchases there.

Refunds (POS lines with a negative quantity) make no one a buyer and do not
undo the purchase they refund, as a credit note does not undo a sale order.
A sale order settled at the till (pos_sale) stays a purchase of the sale
order, as in the sales analysis: its lines do not count twice.
"""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.mkt_analytics.models.mkt_segment import AUTO_MONTHS

# The POS orders that are purchases (draft and cancelled ones are not).
POS_DONE_STATES = ("paid", "done", "invoiced")


class MktSegment(models.Model):
    _inherit = "mkt.segment"

    pos_config_ids = fields.Many2many(
        "pos.config",
        string="Bought at Point of Sale",
        domain="[('company_id', '=', company_id)]",
        help="Customers who bought at these point of sale shops.",
    )
    warehouse_ids = fields.Many2many(
        "stock.warehouse",
        string="Bought at Store",
        domain="[('company_id', '=', company_id)]",
        help="Customers who bought at these stores: at a point of sale shop "
        "selling from the store's warehouse, or by a sale order shipped from it.",
    )

    @api.depends("pos_config_ids", "warehouse_ids")
    def _compute_partner_count(self):
        return super()._compute_partner_count()

    @api.constrains("company_id", "pos_config_ids", "warehouse_ids")
    def _check_places_company(self):
        for segment in self:
            for field_name in ("pos_config_ids", "warehouse_ids"):
                foreign = segment[field_name].filtered(
                    lambda place, segment=segment: place.company_id
                    != segment.company_id
                )
                if foreign:
                    raise ValidationError(
                        self.env._(
                            'Segment "%(segment)s": "%(field)s" names %(places)s '
                            "of another company than %(company)s.",
                            segment=segment.name,
                            field=segment._mkt_field_label(field_name),
                            places=", ".join(foreign.mapped("display_name")),
                            company=segment.company_id.display_name,
                        )
                    )

    def _flush_selection(self):
        result = super()._flush_selection()
        self.env["sale.order"].flush_model(["warehouse_id"])
        self.env["pos.order"].flush_model(
            [
                "state",
                "company_id",
                "partner_id",
                "date_order",
                "currency_rate",
                "config_id",
                "crm_team_id",
            ]
        )
        self.env["pos.order.line"].flush_model(
            ["order_id", "product_id", "qty", "price_subtotal", "sale_order_line_id"]
        )
        self.env["pos.config"].flush_model(["picking_type_id"])
        self.env["stock.picking.type"].flush_model(["warehouse_id"])
        return result

    # ------------------------------------------------------------------
    # Purchase lines
    # ------------------------------------------------------------------

    def _has_purchase_line_criteria(self):
        return bool(
            super()._has_purchase_line_criteria()
            or self.pos_config_ids
            or self.warehouse_ids
        )

    def _get_sale_line_conditions(self):
        conditions = super()._get_sale_line_conditions()
        if self.pos_config_ids:
            # A sale order is not bought at a point of sale shop.
            conditions.append(SQL("FALSE"))
        if self.warehouse_ids:
            conditions.append(SQL("so.warehouse_id = ANY(%s)", self.warehouse_ids.ids))
        return conditions

    def _get_purchase_line_queries(self, partner):
        return [
            *super()._get_purchase_line_queries(partner),
            SQL(
                """SELECT 1 FROM pos_order_line pol
                     JOIN pos_order po ON po.id = pol.order_id
                     JOIN res_partner buyer ON buyer.id = po.partner_id
                    WHERE buyer.commercial_partner_id = %s AND %s""",
                partner,
                SQL(" AND ").join(self._get_pos_line_conditions()),
            ),
        ]

    def _get_pos_line_conditions(self):
        """The segment's purchase criteria on a POS order line ``pol`` of the
        order ``po``."""
        conditions = [
            SQL(
                # A sale order settled at the till is a purchase of that sale
                # order (its team, its warehouse), as in the sales analysis.
                """po.state IN %s AND po.company_id = %s AND pol.qty > 0
                   AND pol.sale_order_line_id IS NULL""",
                POS_DONE_STATES,
                self.company_id.id,
            )
        ]
        if self.purchase_months:
            since = fields.Date.context_today(self) - relativedelta(
                months=self.purchase_months
            )
            conditions.append(SQL("po.date_order >= %s", since))
        unit_price = SQL(
            """pol.price_subtotal / pol.qty
               / COALESCE(NULLIF(po.currency_rate, 0), 1)"""
        )
        conditions.extend(self._get_price_conditions(unit_price))
        if product := self._get_product_condition(SQL("pol.product_id")):
            conditions.append(product)
        if self.team_ids:
            conditions.append(SQL("po.crm_team_id = ANY(%s)", self.team_ids.ids))
        if self.pos_config_ids:
            conditions.append(SQL("po.config_id = ANY(%s)", self.pos_config_ids.ids))
        if self.warehouse_ids:
            conditions.append(
                SQL(
                    """po.config_id IN (
                        SELECT config.id FROM pos_config config
                          JOIN stock_picking_type spt
                            ON spt.id = config.picking_type_id
                         WHERE spt.warehouse_id = ANY(%s))""",
                    self.warehouse_ids.ids,
                )
            )
        return conditions

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _auto_segment_values(self, company):
        """One automatic segment more per POS shop and per store that sold to
        customers in the period. Stores are the warehouses POS shops sell
        from: the warehouse of a mail-order business alone is no store."""
        values = super()._auto_segment_values(company)
        period = fields.Datetime.subtract(fields.Datetime.now(), months=AUTO_MONTHS)
        shops = self.env["pos.order"]._read_group(
            [
                ("state", "in", POS_DONE_STATES),
                ("company_id", "=", company.id),
                ("date_order", ">=", period),
                ("partner_id", "!=", False),
            ],
            ["config_id"],
        )
        common = {"company_id": company.id, "purchase_months": AUTO_MONTHS}
        for (shop,) in shops:
            values[f"pos:{shop.id}"] = {
                **common,
                "name": self.env._(
                    "Bought at point of sale: %(shop)s", shop=shop.display_name
                ),
                "pos_config_ids": [fields.Command.set(shop.ids)],
            }
        stores = self.env["pos.config"].union(*(shop for (shop,) in shops))
        for store in stores.picking_type_id.warehouse_id:
            values[f"store:{store.id}"] = {
                **common,
                "name": self.env._(
                    "Bought at store: %(store)s", store=store.display_name
                ),
                "warehouse_ids": [fields.Command.set(store.ids)],
            }
        return values
