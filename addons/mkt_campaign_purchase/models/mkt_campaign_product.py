from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_round


class MktCampaignProduct(models.Model):
    """An article a campaign offers, with how much of it an order takes on
    average: the campaign's expected orders give its expected quantity."""

    _name = "mkt.campaign.product"
    _description = "Campaign Offered Article"
    _order = "campaign_id, sequence, id"
    _check_company_auto = True

    campaign_id = fields.Many2one(
        "mkt.campaign", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        string="Article",
        required=True,
        check_company=True,
        domain="[('sale_ok', '=', True)]",
    )
    qty_per_order = fields.Float(
        string="Quantity per Order",
        digits="Product Unit of Measure",
        default=1.0,
        help="How much of the article an expected order takes on average, in the "
        "article's unit.",
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    expected_qty = fields.Float(
        string="Expected Quantity",
        digits="Product Unit of Measure",
        compute="_compute_expected_qty",
        help="Expected orders times the quantity per order, rounded up to the "
        "article's unit.",
    )

    _sql_constraints = [
        (
            "product_unique",
            "UNIQUE (campaign_id, product_id)",
            "A campaign offers each article once.",
        ),
    ]

    @api.constrains("qty_per_order")
    def _check_qty_per_order(self):
        for line in self:
            if line.qty_per_order <= 0:
                raise ValidationError(
                    self.env._(
                        'Campaign "%(campaign)s", article "%(product)s": the '
                        '"%(field)s" must be positive (%(qty)s).',
                        campaign=line.campaign_id.name,
                        product=line.product_id.display_name,
                        field=line._mkt_field_label("qty_per_order"),
                        qty=line.qty_per_order,
                    )
                )

    @api.depends(
        "qty_per_order", "product_id.uom_id", "campaign_id.expected_order_count"
    )
    def _compute_expected_qty(self):
        for line in self:
            if not line.product_id:
                line.expected_qty = 0.0
                continue
            line.expected_qty = float_round(
                line.campaign_id.expected_order_count * line.qty_per_order,
                precision_rounding=line.product_id.uom_id.rounding,
                rounding_method="UP",
            )
