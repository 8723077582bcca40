from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Recommendation settings and the smallest value each accepts.
RECOMMENDATION_MINIMUMS = {
    "mkt_recommendation_months": 1,
    "mkt_recommendation_min_support": 1,
    "mkt_recommendation_count": 1,
}


class ResCompany(models.Model):
    _inherit = "res.company"

    mkt_trend_months = fields.Integer(
        string="Trend period (months)",
        default=12,
        help="Revenue of the last N months is compared with the N months before.",
    )
    mkt_trend_change_percent = fields.Integer(
        string="Trend change threshold (%)",
        default=20,
        help="Growing: revenue up by at least this share; declining: down by it.",
    )
    mkt_trend_new_months = fields.Integer(
        string="New customer (months)",
        default=3,
        help="A customer whose first order is this recent is new.",
    )
    mkt_trend_regular_percent = fields.Integer(
        string="Regularity threshold (%)",
        default=50,
        help="A stable customer with at least three orders buys regularly when the "
        "intervals between orders vary by at most this share of their average "
        "(coefficient of variation).",
    )

    # The state of the daily scoring run (see mkt.score.engine): it confirms
    # the scores it finds unchanged without rewriting them.
    mkt_score_run_date = fields.Date(
        string="Scoring run: day",
        readonly=True,
        help="Day of the current or last scoring run.",
    )
    mkt_score_run_partner_id = fields.Integer(
        string="Scoring run: last customer",
        readonly=True,
        help="Id of the last customer the scoring run of that day scored: customers "
        "are scored in id order.",
    )
    mkt_score_full_run_date = fields.Date(
        string="Scoring run: last complete run",
        readonly=True,
        help="Day of the last scoring run that scored every customer.",
    )

    # Product recommendations in mails (see mkt.recommendation.engine).
    mkt_recommendation_months = fields.Integer(
        string="Recommendation period (months)",
        default=12,
        help="Orders of the last N months count: for what customers bought together, "
        "and for what a customer already has (never recommended to them).",
    )
    mkt_recommendation_min_support = fields.Integer(
        string="Bought together by at least (customers)",
        default=2,
        help="Two products count as bought together when at least this many "
        "customers bought both in the period.",
    )
    mkt_recommendation_count = fields.Integer(
        string="Recommended products per customer",
        default=4,
        help="The best N products are kept per customer and shown in a mail.",
    )

    @api.constrains(*RECOMMENDATION_MINIMUMS)
    def _check_mkt_recommendation_settings(self):
        for company in self:
            for name, minimum in RECOMMENDATION_MINIMUMS.items():
                if company[name] < minimum:
                    raise ValidationError(
                        self.env._(
                            'Company "%(company)s": "%(field)s" must be at least '
                            "%(minimum)s (not %(value)s).",
                            company=company.name,
                            field=self._mkt_field_label(name),
                            minimum=minimum,
                            value=company[name],
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        # Each company starts with its own catalog and classes.
        self.env["mkt.score.criterion"].sudo()._create_default_catalog(companies)
        self.env["mkt.customer.class"].sudo()._create_default_classes(companies)
        return companies
