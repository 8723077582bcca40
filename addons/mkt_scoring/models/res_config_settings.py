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
    mkt_recommendation_months = fields.Integer(
        related="company_id.mkt_recommendation_months", readonly=False
    )
    mkt_recommendation_min_support = fields.Integer(
        related="company_id.mkt_recommendation_min_support", readonly=False
    )
    mkt_recommendation_count = fields.Integer(
        related="company_id.mkt_recommendation_count", readonly=False
    )
