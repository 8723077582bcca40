from odoo import fields, models

ATTRIBUTION_SETTINGS = (
    "mkt_attribution_rule",
    "mkt_attribution_window_days",
    "mkt_attribution_mail_event",
)


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

    def set_values(self):
        company = self.company_id
        before = {name: company[name] for name in ATTRIBUTION_SETTINGS}
        super().set_values()
        if any(company[name] != before[name] for name in ATTRIBUTION_SETTINGS):
            # Every order of the company is attributed anew, in the background.
            self.env["mkt.attribution"]._enqueue_rebuild(company)
