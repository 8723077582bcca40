from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyTranslate

from ..tools.default_records import companies_without, create_translated

_lt = LazyTranslate(__name__)

METRICS = [
    ("order_count", "Order frequency (confirmed orders)"),
    ("recency_days", "Recency (days since the last order)"),
    ("revenue", "Revenue (untaxed)"),
    ("average_order_value", "Average order value (untaxed)"),
    ("return_count", "Returns (number of credit notes)"),
    ("return_share", "Returns (% of invoiced value credited)"),
    ("dunning_count", "Dunning (invoices overdue by more than N days)"),
    ("payment_delay_days", "Payment delay (average days paid late)"),
    ("ad_cost", "Advertising cost spent on the customer"),
    ("customer_age_months", "Customer age (months since the first order)"),
]

# Metrics measured at a point in time: a period makes no sense for them.
METRICS_WITHOUT_PERIOD = {"recency_days", "customer_age_months"}

# The catalog a new company starts from: (name, metric, period in months, extra,
# bands as (from, to or None, points)). It suits a delicatessen mail-order
# business with orders of 30 to 300 EUR; adapt it to your assortment.
DEFAULT_CATALOG = [
    (_lt("Orders in the last 24 months"), "order_count", 24, {}, [
        (1, 2, 20), (2, 4, 50), (4, 8, 100), (8, None, 150),
    ]),
    (_lt("Days since the last order"), "recency_days", 0, {}, [
        (0, 90, 120), (90, 180, 80), (180, 365, 30), (365, 730, 0), (730, None, -50),
    ]),
    (_lt("Total revenue"), "revenue", 0, {}, [
        (100, 500, 20), (500, 1500, 50), (1500, 5000, 90), (5000, None, 130),
    ]),
    (_lt("Revenue in the last 12 months"), "revenue", 12, {}, [
        (50, 250, 20), (250, 1000, 50), (1000, None, 90),
    ]),
    (_lt("Average order value"), "average_order_value", 0, {}, [
        (50, 100, 10), (100, 250, 25), (250, None, 40),
    ]),
    (_lt("Returned value share (24 months)"), "return_share", 24, {}, [
        (10, 25, -20), (25, 50, -50), (50, None, -100),
    ]),
    (_lt("Dunned invoices (24 months)"), "dunning_count", 24, {"overdue_days": 14}, [
        (1, 2, -30), (2, 4, -70), (4, None, -120),
    ]),
    (_lt("Average payment delay (24 months)"), "payment_delay_days", 24, {}, [
        (5, 15, -10), (15, 30, -30), (30, None, -60),
    ]),
    (_lt("Customer for (months)"), "customer_age_months", 0, {}, [
        (12, 36, 10), (36, None, 25),
    ]),
]  # fmt: skip


class MktScoreCriterion(models.Model):
    """An entry of the points catalog: a metric over a period, and its bands.

    Each band turns a range of the metric's value into points; a customer's
    score is the sum of the points of every active criterion of the company.
    """

    _name = "mkt.score.criterion"
    _description = "Scoring Criterion"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    metric = fields.Selection(METRICS, required=True, default="order_count")
    period_months = fields.Integer(
        string="Period (months)",
        default=12,
        help="Count the last N months; 0 counts the whole customer lifetime.",
    )
    overdue_days = fields.Integer(
        string="Overdue by more than (days)",
        default=14,
        help="Dunning: an invoice counts when it was paid, or is still open, more "
        "than this many days after its due date.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    band_ids = fields.One2many(
        "mkt.score.band", "criterion_id", string="Bands", copy=True
    )
    uses_period = fields.Boolean(compute="_compute_uses_period")

    @api.constrains("period_months", "overdue_days")
    def _check_period(self):
        for criterion in self:
            if criterion.period_months < 0:
                raise ValidationError(
                    self.env._(
                        "Criterion “%(criterion)s”: the period cannot be negative "
                        "(use 0 for the whole lifetime).",
                        criterion=criterion.name,
                    )
                )
            if criterion.overdue_days < 0:
                raise ValidationError(
                    self.env._(
                        "Criterion “%(criterion)s”: the number of overdue days cannot "
                        "be negative.",
                        criterion=criterion.name,
                    )
                )

    @api.depends("metric")
    def _compute_uses_period(self):
        for criterion in self:
            criterion.uses_period = criterion.metric not in METRICS_WITHOUT_PERIOD

    # ------------------------------------------------------------------
    # Default catalog
    # ------------------------------------------------------------------

    @api.model
    def _create_default_catalog(self, companies=None):
        """Create the default catalog for ``companies`` (default: those without one)."""
        if companies is None:
            companies = companies_without(self)
        values, names = [], []
        for company in companies:
            for sequence, (name, metric, period, extra, bands) in enumerate(
                DEFAULT_CATALOG, start=1
            ):
                names.append(name)
                values.append(
                    {
                        "metric": metric,
                        "period_months": period,
                        "sequence": sequence * 10,
                        "company_id": company.id,
                        "band_ids": [
                            (
                                0,
                                0,
                                self.env["mkt.score.band"]._values_for(
                                    low, high, points
                                ),
                            )
                            for low, high, points in bands
                        ],
                        **extra,
                    }
                )
        return create_translated(self, values, names)

    @api.model
    def action_reset_to_defaults(self):
        """Archive the company's catalog and recreate the default one."""
        if not self.env.user.has_group("mkt_scoring.mkt_group_manager"):
            raise ValidationError(
                self.env._("Only a Marketing Manager can reset the catalog.")
            )
        company = self.env.company
        self.search([("company_id", "=", company.id)]).write({"active": False})
        self._create_default_catalog(company)
        return {
            "type": "ir.actions.client",
            "tag": "soft_reload",
        }
