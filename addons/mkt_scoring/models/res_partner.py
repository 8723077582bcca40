import json

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import formatLang
from odoo.tools.misc import get_lang

TRENDS = [
    ("new", "New"),
    ("growing", "Growing"),
    ("regular", "Regular"),
    ("occasional", "Occasional"),
    ("declining", "Declining"),
    ("lapsed", "Lapsed"),
]


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "mkt.recommendation.mixin"]

    # The current company's row of mkt.customer.score, of the commercial partner.
    mkt_score = fields.Integer(
        string="Quality Score",
        compute="_compute_mkt_score",
        search="_search_mkt_score",
        groups="base.group_user",
    )
    mkt_class_id = fields.Many2one(
        "mkt.customer.class",
        string="Customer Class",
        compute="_compute_mkt_score",
        search="_search_mkt_class_id",
        groups="base.group_user",
    )
    mkt_score_date = fields.Date(
        string="Scored On",
        compute="_compute_mkt_score",
        search="_search_mkt_score_date",
        groups="base.group_user",
    )
    mkt_trend = fields.Selection(
        TRENDS,
        string="Trend",
        compute="_compute_mkt_score",
        search="_search_mkt_trend",
        groups="base.group_user",
    )
    mkt_score_details = fields.Text(
        string="Score Details (JSON)",
        compute="_compute_mkt_score",
        groups="base.group_user",
        help="Value and points per criterion: {criterion id: [value, points]}.",
    )
    mkt_class_color = fields.Char(
        related="mkt_class_id.color", string="Class Colour", groups="base.group_user"
    )
    mkt_score_breakdown = fields.Html(
        string="Points per Criterion",
        compute="_compute_mkt_score_breakdown",
        groups="base.group_user",
        sanitize=False,
    )
    mkt_score_summary = fields.Json(
        string="Score Summary",
        compute="_compute_mkt_score_summary",
        groups="base.group_user",
        help="Trend and points per criterion, in the user's language, as the quality "
        "Q's tooltip shows them.",
    )
    mkt_score_history_ids = fields.One2many(
        "mkt.score.history",
        "partner_id",
        string="Class History",
        groups="base.group_user",
    )
    mkt_segment_id = fields.Many2one(
        "mkt.segment",
        string="Segment",
        compute="_compute_mkt_segment_id",
        search="_search_mkt_segment_id",
        groups="base.group_user",
        help="Search only: the members of a customer segment, e.g. in a mailing's "
        "recipients filter.",
    )

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_mkt_score(self):
        company = self.env.company
        scores = (
            self.env["mkt.customer.score"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", company.id),
                ]
            )
        )
        by_partner = {score.partner_id.id: score for score in scores}
        engine = self.env["mkt.score.engine"]
        date_metrics = engine._date_metrics(company) if scores else {}
        for partner in self:
            score = by_partner.get(partner.commercial_partner_id.id)
            confirmed = score and engine._confirmed_date(
                company, score.partner_id.id, score.score_date
            )
            partner.mkt_score = score.score if score else 0
            partner.mkt_class_id = score.class_id if score else False
            partner.mkt_score_date = confirmed or False
            partner.mkt_trend = score.trend if score else False
            partner.mkt_score_details = (
                engine._breakdown_on(score.details, confirmed, date_metrics)
                if score
                else False
            )

    def _search_on_score(self, score_field, operator, value):
        return self._search_on_score_domain([(score_field, operator, value)])

    def _search_on_score_domain(self, domain):
        scores = (
            self.env["mkt.customer.score"]
            .sudo()
            ._search([("company_id", "=", self.env.company.id)] + domain)
        )
        return [("commercial_partner_id", "in", scores.subselect("partner_id"))]

    def _search_mkt_score(self, operator, value):
        return self._search_on_score("score", operator, value)

    def _search_mkt_class_id(self, operator, value):
        return self._search_on_score("class_id", operator, value)

    def _search_mkt_score_date(self, operator, value):
        engine = self.env["mkt.score.engine"]
        return self._search_on_score_domain(
            engine._confirmed_date_domain(self.env.company, operator, value)
        )

    def _search_mkt_trend(self, operator, value):
        return self._search_on_score("trend", operator, value)

    @api.depends("mkt_score_summary")
    @api.depends_context("lang")
    def _compute_mkt_score_breakdown(self):
        for partner in self:
            summary = partner.mkt_score_summary
            if not summary:
                partner.mkt_score_breakdown = False
                continue
            rows = Markup("").join(
                Markup(
                    "<tr><td>%s</td><td class='text-end'>%s</td>"
                    "<td class='text-end'>%s</td></tr>"
                )
                % (
                    criterion["name"],
                    self._mkt_format_number(criterion["value"]),
                    self._mkt_format_number(criterion["points"]),
                )
                for criterion in summary["criteria"]
            )
            partner.mkt_score_breakdown = Markup(
                "<table class='table table-sm o_mkt_score_breakdown'><thead><tr>"
                "<th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
                "</tr></thead><tbody>%s</tbody></table>"
            ) % (
                escape(self.env._("Criterion")),
                escape(self.env._("Value")),
                escape(self.env._("Points")),
                rows,
            )

    def _mkt_format_number(self, value):
        """A value of the breakdown in the user's language, as the Q's tooltip
        shows it: grouped, up to two decimals, no trailing zeros (2.180,4)."""
        if value is None:
            return ""
        text = formatLang(self.env, value, digits=2)
        decimal_point = get_lang(self.env).decimal_point
        if decimal_point in text:
            text = text.rstrip("0").removesuffix(decimal_point)
        return text

    @api.depends("mkt_score_date", "mkt_score_details", "mkt_trend")
    @api.depends_context("company", "lang")
    def _compute_mkt_score_summary(self):
        trends = dict(self._fields["mkt_trend"]._description_selection(self.env))
        details = {
            partner: json.loads(partner.mkt_score_details or "{}") for partner in self
        }
        # Criterion names are no secret, but not every internal user may read the
        # points catalog, while every one of them sees the Q.
        criteria = (
            self.env["mkt.score.criterion"]
            .sudo()
            .with_context(active_test=False)
            .browse({int(key) for values in details.values() for key in values})
            .exists()
            .sorted()
        )
        for partner in self:
            if not partner.mkt_score_date:
                partner.mkt_score_summary = False
                continue
            values = details[partner]
            partner.mkt_score_summary = {
                "trend": trends.get(partner.mkt_trend, ""),
                "criteria": [
                    {
                        "name": criterion.name,
                        "value": values[str(criterion.id)][0],
                        "points": values[str(criterion.id)][1],
                    }
                    for criterion in criteria
                    if str(criterion.id) in values
                ],
            }

    def _compute_mkt_segment_id(self):
        # A customer belongs to any number of segments: the field only searches.
        self.mkt_segment_id = False

    def _search_mkt_segment_id(self, operator, value):
        return self.env["mkt.segment"]._get_member_domain(operator, value)

    def action_mkt_compute_score(self):
        """Rescore these customers now, for the current company."""
        commercial = self.commercial_partner_id
        if not commercial:
            raise UserError(self.env._("Select at least one customer to score."))
        company = self.env.company
        if not self.env["mkt.score.criterion"].search_count(
            [("company_id", "=", company.id)]
        ):
            raise UserError(
                self.env._(
                    "The company %(company)s has no scoring criteria: set up the points "
                    "catalog in Marketing > Configuration first.",
                    company=company.name,
                )
            )
        self.env["mkt.score.engine"].sudo()._score_partners(commercial.ids, company)
        return True

    def _mkt_recommendation_discounts(self):
        """{partner id: discount in %} shown with the recommended products.

        A hook: no discount here. An add-on that knows personal discounts
        (mkt_voucher: the discount recorded on the customer's open adaptive
        voucher code) returns them for the commercial partners ``self``.
        """
        return {}
