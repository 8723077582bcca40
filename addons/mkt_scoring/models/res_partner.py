import json

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError

TRENDS = [
    ("new", "New"),
    ("growing", "Growing"),
    ("regular", "Regular"),
    ("occasional", "Occasional"),
    ("declining", "Declining"),
    ("lapsed", "Lapsed"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Written by the scoring run (mkt.score.engine), one value per company.
    mkt_score = fields.Integer(
        string="Quality Score", company_dependent=True, groups="base.group_user"
    )
    mkt_class_id = fields.Many2one(
        "mkt.customer.class",
        string="Customer Class",
        company_dependent=True,
        groups="base.group_user",
    )
    mkt_score_date = fields.Date(
        string="Scored On", company_dependent=True, groups="base.group_user"
    )
    mkt_trend = fields.Selection(
        TRENDS, string="Trend", company_dependent=True, groups="base.group_user"
    )
    mkt_score_details = fields.Text(
        string="Score Details (JSON)",
        company_dependent=True,
        groups="base.group_user",
        help="Value and points per criterion: {criterion id: [value, points]}.",
    )
    mkt_class_color = fields.Char(
        related="mkt_class_id.color", string="Class Colour", groups="base.group_user"
    )
    mkt_score_breakdown = fields.Html(
        compute="_compute_mkt_score_breakdown", groups="base.group_user", sanitize=False
    )
    mkt_score_history_ids = fields.One2many(
        "mkt.score.history",
        "partner_id",
        string="Class History",
        groups="base.group_user",
    )

    @api.depends("mkt_score_details")
    def _compute_mkt_score_breakdown(self):
        criteria = self.env["mkt.score.criterion"].with_context(active_test=False)
        for partner in self:
            details = json.loads(partner.mkt_score_details or "{}")
            if not details:
                partner.mkt_score_breakdown = False
                continue
            names = {
                str(c.id): c.name for c in criteria.browse([int(k) for k in details])
            }
            rows = Markup("").join(
                Markup(
                    "<tr><td>%s</td><td class='text-end'>%s</td>"
                    "<td class='text-end'>%s</td></tr>"
                )
                % (names.get(key, key), "" if value is None else value, points)
                for key, (value, points) in details.items()
            )
            partner.mkt_score_breakdown = Markup(
                "<table class='table table-sm o_mkt_score_breakdown'><thead><tr>"
                "<th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
                "</tr></thead><tbody>%s</tbody></table>"
            ) % (escape(_("Criterion")), escape(_("Value")), escape(_("Points")), rows)

    def action_mkt_compute_score(self):
        """Rescore these customers now, for the current company."""
        commercial = self.commercial_partner_id
        if not commercial:
            raise UserError(_("Select at least one customer to score."))
        company = self.env.company
        if not self.env["mkt.score.criterion"].search_count(
            [("company_id", "=", company.id)]
        ):
            raise UserError(
                _(
                    "The company %(company)s has no scoring criteria: set up the points "
                    "catalog in Marketing > Configuration first.",
                    company=company.name,
                )
            )
        self.env["mkt.score.engine"].sudo()._score_partners(commercial.ids, company)
        return True
