from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    mkt_attribution_rule = fields.Selection(
        related="company_id.mkt_attribution_rule", readonly=False
    )
    mkt_attribution_window_days = fields.Integer(
        related="company_id.mkt_attribution_window_days", readonly=False
    )
    mkt_attribution_mail_event = fields.Selection(
        related="company_id.mkt_attribution_mail_event", readonly=False
    )
