from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class MktPromotionLine(models.Model):
    """A product of a promotion action: its condition and its planned demand.

    The condition (special price or discount from a minimum quantity) lives as
    an item of the action's pricelist, so order lines price it the standard
    way; the same product can have other conditions in other actions.
    """

    _name = "mkt.promotion.line"
    _description = "Promotion Action Product"
    _order = "promotion_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    promotion_id = fields.Many2one(
        "mkt.promotion", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="promotion_id.company_id", store=True)
    currency_id = fields.Many2one(related="promotion_id.currency_id")
    product_id = fields.Many2one(
        "product.product", required=True, check_company=True, index=True
    )
    price_type = fields.Selection(
        [("fixed", "Special price"), ("discount", "Discount"), ("none", "List price")],
        string="Condition",
        required=True,
        default="fixed",
    )
    fixed_price = fields.Monetary(string="Special Price")
    discount = fields.Float(string="Discount (%)")
    min_quantity = fields.Float(
        string="Minimum Quantity",
        default=0.0,
        help="The condition applies from this quantity on an order line.",
    )
    pricelist_item_id = fields.Many2one(
        "product.pricelist.item", readonly=True, copy=False, ondelete="set null"
    )
    planned_qty = fields.Float(
        string="Planned Quantity",
        help="Expected demand; proposed from past sales, editable.",
    )
    planned_basis = fields.Char(
        string="Planning Basis",
        readonly=True,
        copy=False,
        help="How the proposed quantity was found.",
    )
    actual_qty = fields.Float(
        string="Actual Quantity",
        compute="_compute_actual_qty",
        help="Quantity ordered on confirmed orders of the action.",
    )

    @api.constrains("fixed_price", "discount", "min_quantity", "planned_qty")
    def _check_values(self):
        for line in self:
            for field_name in (
                "fixed_price",
                "discount",
                "min_quantity",
                "planned_qty",
            ):
                if line[field_name] < 0:
                    raise ValidationError(
                        self.env._(
                            'Promotion action "%(action)s", product "%(product)s": '
                            '"%(field)s" cannot be negative (%(value)s).',
                            action=line.promotion_id.display_name,
                            product=line.product_id.display_name,
                            field=self._mkt_field_label(field_name),
                            value=line[field_name],
                        )
                    )
            if line.discount > 100:
                raise ValidationError(
                    self.env._(
                        'Promotion action "%(action)s", product "%(product)s": the '
                        "discount cannot exceed 100 %% (%(value)s).",
                        action=line.promotion_id.display_name,
                        product=line.product_id.display_name,
                        value=line.discount,
                    )
                )

    def _compute_actual_qty(self):
        sold = {
            (promotion.id, product.id): qty
            for promotion, product, qty in self.env["sale.order.line"]._read_group(
                [
                    ("mkt_promotion_id", "in", self.promotion_id.ids),
                    ("product_id", "in", self.product_id.ids),
                    ("state", "=", "sale"),
                    ("mkt_benefit_id", "=", False),
                ],
                ["mkt_promotion_id", "product_id"],
                ["product_uom_qty:sum"],
            )
        }
        for line in self:
            line.actual_qty = sold.get((line.promotion_id.id, line.product_id.id), 0.0)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._sync_pricelist_item()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if {
            "product_id",
            "price_type",
            "fixed_price",
            "discount",
            "min_quantity",
        } & set(vals):
            self._sync_pricelist_item()
        return result

    def unlink(self):
        items = self.pricelist_item_id
        result = super().unlink()
        items.unlink()
        return result

    def _pricelist_item_values(self):
        self.ensure_one()
        promotion = self.promotion_id
        values = {
            "pricelist_id": promotion.pricelist_id.id,
            "applied_on": "0_product_variant",
            "product_tmpl_id": self.product_id.product_tmpl_id.id,
            "product_id": self.product_id.id,
            "min_quantity": self.min_quantity,
            "date_start": promotion.date_start
            and datetime.combine(promotion.date_start, time.min),
            "date_end": promotion.date_end
            and datetime.combine(promotion.date_end, time(23, 59, 59)),
        }
        if self.price_type == "fixed":
            values.update(compute_price="fixed", fixed_price=self.fixed_price)
        else:
            values.update(compute_price="percentage", percent_price=self.discount)
        return values

    def _sync_pricelist_item(self):
        """Create or update the pricelist item carrying each line's condition."""
        Item = self.env["product.pricelist.item"].sudo()
        for line in self:
            if line.price_type == "none":
                line.pricelist_item_id.sudo().unlink()
                continue
            values = line._pricelist_item_values()
            if line.pricelist_item_id:
                line.pricelist_item_id.sudo().write(values)
            else:
                line.pricelist_item_id = Item.create(values)

    # ------------------------------------------------------------------
    # Demand planning
    # ------------------------------------------------------------------

    def _propose_planned_qty(self):
        """Propose each line's planned quantity from past sales.

        First choice: the last earlier action of the same medium that sold the
        product, scaled by the ratio of the circulations. Otherwise: what the
        product sold in the same period one year earlier.
        """
        SaleLine = self.env["sale.order.line"]
        for promotion in self.promotion_id:
            lines = self.filtered(lambda line, p=promotion: line.promotion_id == p)
            start = promotion.date_start or fields.Date.context_today(self)
            end = promotion.date_end or start + relativedelta(months=1)
            previous_actions = self.env["mkt.promotion"].search(
                [
                    ("company_id", "=", promotion.company_id.id),
                    ("medium", "=", promotion.medium),
                    ("id", "!=", promotion.id),
                    ("date_start", "<", start),
                ],
                order="date_start desc, id desc",
            )
            sold_in_action = {
                (action.id, product.id): qty
                for action, product, qty in SaleLine._read_group(
                    [
                        ("mkt_promotion_id", "in", previous_actions.ids),
                        ("product_id", "in", lines.product_id.ids),
                        ("state", "=", "sale"),
                        ("mkt_benefit_id", "=", False),
                    ],
                    ["mkt_promotion_id", "product_id"],
                    ["product_uom_qty:sum"],
                )
            }
            last_year = dict(
                SaleLine._read_group(
                    [
                        ("product_id", "in", lines.product_id.ids),
                        ("state", "=", "sale"),
                        ("company_id", "=", promotion.company_id.id),
                        (
                            "order_id.date_order",
                            ">=",
                            datetime.combine(start - relativedelta(years=1), time.min),
                        ),
                        (
                            "order_id.date_order",
                            "<=",
                            datetime.combine(end - relativedelta(years=1), time.max),
                        ),
                    ],
                    ["product_id"],
                    ["product_uom_qty:sum"],
                )
            )
            for line in lines:
                line._propose_from(previous_actions, sold_in_action, last_year)

    def _propose_from(self, previous_actions, sold_in_action, last_year):
        self.ensure_one()
        promotion = self.promotion_id
        for action in previous_actions:
            qty = sold_in_action.get((action.id, self.product_id.id))
            if qty is None:
                continue
            factor = (
                promotion.circulation / action.circulation
                if promotion.circulation and action.circulation
                else 1.0
            )
            sold, scale = f"{qty:g}", f"{factor:.2f}"
            self.write(
                {
                    "planned_qty": round(qty * factor),
                    "planned_basis": self.env._(
                        "%(action)s: %(qty)s sold, x %(factor)s for the circulation",
                        action=action.code,
                        qty=sold,
                        factor=scale,
                    ),
                }
            )
            return
        qty = last_year.get(self.product_id, 0.0)
        sold = f"{qty:g}"
        self.write(
            {
                "planned_qty": qty,
                "planned_basis": self.env._(
                    "Same period last year: %(qty)s sold", qty=sold
                ),
            }
        )
