from odoo import fields, models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    mkt_promotion_id = fields.Many2one(
        "mkt.promotion",
        string="Promotion Action",
        index="btree_not_null",
        ondelete="cascade",
        help="The promotion action whose advertising cost this line books.",
    )
