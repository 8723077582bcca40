from odoo import api, fields, models
from odoo.exceptions import ValidationError

ATTRIBUTION_RULES = [
    ("last", "Last touch"),
    ("first", "First touch"),
    ("linear", "Linear (shared equally)"),
]
MAIL_EVENTS = [
    ("clicked", "Clicked"),
    ("opened", "Opened (or clicked)"),
    ("received", "Received (opened or not)"),
]
ATTRIBUTION_SETTINGS = (
    "mkt_attribution_rule",
    "mkt_attribution_window_days",
    "mkt_attribution_mail_event",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    mkt_attribution_rule = fields.Selection(
        ATTRIBUTION_RULES,
        string="Attribution Rule",
        required=True,
        default="last",
        help="Which of the touches before an order earns it: the last one, the "
        "first one, or all of them in equal shares.",
    )
    mkt_attribution_window_days = fields.Integer(
        string="Attribution Window (days)",
        required=True,
        default=30,
        help="A mail counts for an order when its event happened at most this many "
        "days before the order.",
    )
    mkt_attribution_mail_event = fields.Selection(
        MAIL_EVENTS,
        string="Mail Event That Counts",
        required=True,
        default="clicked",
        help="Which reaction to a mailing or campaign email makes it a touch.",
    )

    mkt_attribution_rebuild = fields.Boolean(
        string="Attribution Rebuild Due",
        readonly=True,
        copy=False,
        help="Every order of the company is being attributed anew by the cron.",
    )
    mkt_attribution_cursor = fields.Integer(
        string="Attribution Rebuilt Up To",
        readonly=True,
        copy=False,
        help="Id of the last order the running rebuild attributed.",
    )

    @api.constrains("mkt_attribution_window_days")
    def _check_mkt_attribution_window_days(self):
        for company in self:
            if company.mkt_attribution_window_days < 1:
                raise ValidationError(
                    self.env._(
                        'Company "%(company)s": the "%(field)s" must be at least one '
                        "day (not %(value)s).",
                        company=company.name,
                        field=self._mkt_field_label("mkt_attribution_window_days"),
                        value=company.mkt_attribution_window_days,
                    )
                )

    def write(self, vals):
        changed = self.browse()
        if ATTRIBUTION_SETTINGS & vals.keys():
            changed = self.filtered(
                lambda c: any(
                    c[name] != vals[name]
                    for name in ATTRIBUTION_SETTINGS
                    if name in vals
                )
            )
        result = super().write(vals)
        if changed:
            # Every order of the company is attributed anew, in the background.
            self.env["mkt.attribution"]._schedule_rebuild(changed)
        return result
