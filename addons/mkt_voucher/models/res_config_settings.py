from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    mkt_newsletter_list_id = fields.Many2one(
        related="company_id.mkt_newsletter_list_id", readonly=False
    )
    mkt_welcome_program_id = fields.Many2one(
        related="company_id.mkt_welcome_program_id", readonly=False
    )
    mkt_optin_validity_hours = fields.Integer(
        related="company_id.mkt_optin_validity_hours", readonly=False
    )

    @api.constrains("mkt_optin_validity_hours")
    def _check_mkt_optin_validity_hours(self):
        for settings in self:
            if not 1 <= settings.mkt_optin_validity_hours <= 24 * 30:
                raise ValidationError(
                    self.env._(
                        '"%(field)s" must be between 1 hour and 30 days (720 hours).',
                        field=self._mkt_field_label("mkt_optin_validity_hours"),
                    )
                )
