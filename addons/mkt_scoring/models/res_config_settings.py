from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    mkt_trend_months = fields.Integer(
        related="company_id.mkt_trend_months", readonly=False
    )
    mkt_trend_change_percent = fields.Integer(
        related="company_id.mkt_trend_change_percent", readonly=False
    )
    mkt_trend_new_months = fields.Integer(
        related="company_id.mkt_trend_new_months", readonly=False
    )
    mkt_trend_regular_percent = fields.Integer(
        related="company_id.mkt_trend_regular_percent", readonly=False
    )
