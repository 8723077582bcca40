from odoo import api, fields, models
from odoo.exceptions import UserError


class MktPromotion(models.Model):
    """A promotion action is a demand source: its demand plan
    (``mkt.promotion.line.planned_qty``) less what its orders already took."""

    _name = "mkt.promotion"
    _inherit = ["mkt.promotion", "mkt.purchase.demand.mixin"]
    _purchase_order_field = "mkt_promotion_id"
    _purchase_proposal_field = "promotion_id"

    purchase_order_ids = fields.One2many(
        "purchase.order",
        "mkt_promotion_id",
        string="Purchase Orders",
        groups="purchase.group_purchase_user",
    )

    # ------------------------------------------------------------------
    # Demand source protocol (mkt.purchase.demand.mixin)
    # ------------------------------------------------------------------

    def _check_purchase_proposal(self):
        if self.state == "done":
            raise UserError(
                self.env._(
                    'Promotion action "%(action)s" has ended: its planned demand '
                    "is no longer purchased.",
                    action=self.display_name,
                )
            )

    def _get_purchase_products(self):
        # One query, without reading the lines themselves.
        [[products]] = self.env["mkt.promotion.line"]._read_group(
            [("promotion_id", "in", self.ids)], [], ["product_id:recordset"]
        )
        return products

    def _get_purchase_origin(self):
        return self.code

    @api.model
    def _get_purchase_demand(self, company, products):
        """Per draft or running action of the company and product: the planned
        quantity, and what is left of it after the action's confirmed orders
        (their lines without a benefit: gifts are not planned)."""
        promotion_lines = self.env["mkt.promotion.line"]._read_group(
            [
                ("product_id", "in", products.ids),
                ("company_id", "=", company.id),
                ("promotion_id.state", "in", ("draft", "running")),
            ],
            ["promotion_id", "product_id"],
            ["planned_qty:sum"],
        )
        promotions = self.browse({promotion.id for promotion, *_ in promotion_lines})
        sold = {
            (promotion, product): qty
            for promotion, product, qty in self.env["sale.order.line"]
            .sudo()
            ._read_group(
                [
                    ("mkt_promotion_id", "in", promotions.ids),
                    ("product_id", "in", products.ids),
                    ("state", "=", "sale"),
                    ("mkt_benefit_id", "=", False),
                ],
                ["mkt_promotion_id", "product_id"],
                ["product_uom_qty:sum"],
            )
        }
        return [
            (
                promotion,
                product,
                qty,
                max(qty - sold.get((promotion, product), 0.0), 0.0),
            )
            for promotion, product, qty in promotion_lines
        ]
