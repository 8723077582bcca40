from odoo import fields, models


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    mkt_promotion_order_id = fields.Many2one(
        "sale.order",
        string="Promotion Order",
        readonly=True,
        index="btree_not_null",
        help="The order whose promotion action issued this voucher.",
    )
