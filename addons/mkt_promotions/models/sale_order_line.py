from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    mkt_benefit_id = fields.Many2one(
        "mkt.promotion.benefit",
        string="Promotion Benefit",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The benefit of a promotion action that added this line.",
    )
    mkt_promotion_id = fields.Many2one(
        related="order_id.mkt_promotion_id", store=True, string="Promotion Action"
    )

    @api.depends("order_id.mkt_promotion_id")
    def _compute_pricelist_item_id(self):
        """The action's condition for the product, when it has one; otherwise the
        order's pricelist as usual (a B2B customer keeps their prices)."""
        result = super()._compute_pricelist_item_id()
        for line in self:
            pricelist = line.order_id.mkt_promotion_id.pricelist_id
            if not pricelist or not line.product_id or line.display_type:
                continue
            if line.mkt_benefit_id:
                continue
            rule = pricelist._get_product_rule(
                line.product_id,
                quantity=line.product_uom_qty or 1.0,
                uom=line.product_uom,
                date=line._get_order_date(),
            )
            if rule:
                line.pricelist_item_id = rule
        return result

    def _compute_price_unit(self):
        # Benefit lines are priced by their benefit, not by a pricelist.
        return super(
            SaleOrderLine, self.filtered(lambda line: not line.mkt_benefit_id)
        )._compute_price_unit()

    def _compute_discount(self):
        return super(
            SaleOrderLine, self.filtered(lambda line: not line.mkt_benefit_id)
        )._compute_discount()

    def _mkt_changed_values(self, values):
        """The part of ``values`` (as for ``write``) that differs from the line."""
        self.ensure_one()
        return {
            name: value
            for name, value in values.items()
            if name not in ("tax_id", "order_id")
            and self._fields[name].convert_to_write(self[name], self) != value
        }

    # Lines changed on their own (not through the order's write) update the
    # action's benefits too: gifts and discounts follow the order's content.
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._mkt_follow_line_change(self.env.context)
        return lines

    def write(self, vals):
        result = super().write(vals)
        if {"product_id", "product_uom_qty", "price_unit", "discount", "tax_id"} & set(
            vals
        ):
            self.order_id._mkt_follow_line_change(self.env.context)
        return result

    def unlink(self):
        orders = self.order_id
        result = super().unlink()
        orders.exists()._mkt_follow_line_change(self.env.context)
        return result
