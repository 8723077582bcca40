from odoo import fields, models


class LoyaltyRule(models.Model):
    _inherit = "loyalty.rule"

    mkt_source_id = fields.Many2one(
        "utm.source",
        string="Channel",
        help="Where this shared code is published (print media, trade fair, "
        "website...): orders using it are reported under this channel.",
    )
