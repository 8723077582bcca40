"""Customer quality analysis: how many customers reach each score.

Answers "who are my top 100 customers": the scored customers grouped by score
interval, best first, with the cumulative number of customers that reach at
least each interval, their share and their revenue. From a line, staff select
every customer at or above its score.
"""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tools import SQL, format_date

from ..tools.order_sql import ORDER_FIELDS, order_revenue


class MktScoreAnalysis(models.TransientModel):
    _name = "mkt.score.analysis"
    _description = "Customer Quality Analysis"

    interval = fields.Integer(
        default=100, required=True, help="Width of each score interval, in points."
    )
    revenue_months = fields.Integer(
        string="Revenue Period (months)",
        default=12,
        help="Revenue of the confirmed orders of the last N months; 0 counts all "
        "orders.",
    )
    date = fields.Date(default=fields.Date.context_today, readonly=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many(
        "mkt.score.analysis.line", "analysis_id", string="Intervals", readonly=True
    )
    partner_count = fields.Integer(string="Scored Customers", readonly=True)
    revenue = fields.Monetary(readonly=True)

    @api.depends("date")
    def _compute_display_name(self):
        for analysis in self:
            analysis.display_name = self.env._(
                "Quality analysis of %(date)s",
                date=format_date(self.env, analysis.date),
            )

    @api.constrains("interval", "revenue_months")
    def _check_interval(self):
        for analysis in self:
            if analysis.interval <= 0:
                raise ValidationError(
                    self.env._(
                        'Customer quality analysis: the "%(field)s" must be a positive '
                        "number of points, not %(value)s.",
                        field=self._mkt_field_label("interval"),
                        value=analysis.interval,
                    )
                )
            if analysis.revenue_months < 0:
                raise ValidationError(
                    self.env._(
                        'Customer quality analysis: the "%(field)s" cannot be '
                        "negative (%(value)s).",
                        field=self._mkt_field_label("revenue_months"),
                        value=analysis.revenue_months,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_compute(self):
        """Replace the lines by those of the current scores (one SQL query)."""
        self.ensure_one()
        rows = self._read_intervals()
        total = rows[0]["total_count"] if rows else 0
        self.write(
            {
                "line_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "score_from": row["score_from"],
                            "score_to": row["score_from"] + self.interval - 1,
                            "count": row["count"],
                            "cumulative_count": row["cumulative_count"],
                            "share": 100.0 * row["count"] / total,
                            "cumulative_share": 100.0 * row["cumulative_count"] / total,
                            "revenue": row["revenue"],
                            "cumulative_revenue": row["cumulative_revenue"],
                        }
                    )
                    for row in rows
                ],
                "partner_count": total,
                "revenue": rows[0]["total_revenue"] if rows else 0.0,
            }
        )
        # The form reloads and shows the lines.
        return True

    def action_print(self):
        self.ensure_one()
        if not self.line_ids:
            self.action_compute()
        return self.env.ref("mkt_scoring.mkt_score_analysis_report").report_action(self)

    def action_open_lines(self):
        """The lines as a plain list, to filter, group and export them."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer Quality Analysis"),
            "res_model": "mkt.score.analysis.line",
            "view_mode": "list",
            "domain": [("analysis_id", "=", self.id)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _read_intervals(self):
        """One row per interval, best first, from the lowest to the highest
        score reached (empty intervals included, so the cumulative count reads
        down without gaps).

        Only scored customers count: active customers with a score of the
        company (``mkt.customer.score``, written by the scoring run). Revenue
        is the untaxed amount of the company's confirmed orders in the period,
        in the company's currency, of the commercial partner (orders of its
        contacts included).
        """
        self.ensure_one()
        self.env["res.partner"].flush_model(["active", "commercial_partner_id"])
        self.env["mkt.customer.score"].flush_model(
            ["partner_id", "company_id", "score", "score_date"]
        )
        self.env["sale.order"].flush_model(ORDER_FIELDS)
        if self.revenue_months:
            since = self.date - relativedelta(months=self.revenue_months)
            period = SQL("so.date_order >= %s", since)
        else:
            period = SQL("TRUE")
        return self.env.execute_query_dict(
            SQL(
                """
                WITH scored AS (
                    SELECT s.partner_id AS id,
                           (floor(COALESCE(s.score, 0) / %(interval)s::numeric)
                            * %(interval)s)::int AS score_from
                      FROM mkt_customer_score s
                      JOIN res_partner p ON p.id = s.partner_id
                     WHERE s.company_id = %(company)s AND s.score_date IS NOT NULL
                       AND p.active
                ),
                revenue AS (
                    SELECT buyer.commercial_partner_id AS partner_id,
                           sum(%(order_revenue)s) AS amount
                      FROM sale_order so
                      JOIN res_partner buyer ON buyer.id = so.partner_id
                     WHERE so.state = 'sale' AND so.company_id = %(company)s
                       AND %(period)s
                     GROUP BY buyer.commercial_partner_id
                ),
                intervals AS (
                    SELECT s.score_from, count(*) AS count,
                           COALESCE(sum(r.amount), 0) AS revenue
                      FROM scored s
                      LEFT JOIN revenue r ON r.partner_id = s.id
                     GROUP BY s.score_from
                ),
                series AS (
                    SELECT generate_series(min(score_from), max(score_from),
                                           %(interval)s) AS score_from
                      FROM intervals
                )
                SELECT se.score_from,
                       COALESCE(i.count, 0) AS count,
                       COALESCE(i.revenue, 0) AS revenue,
                       sum(COALESCE(i.count, 0)) OVER best_first AS cumulative_count,
                       sum(COALESCE(i.revenue, 0)) OVER best_first
                           AS cumulative_revenue,
                       sum(COALESCE(i.count, 0)) OVER () AS total_count,
                       sum(COALESCE(i.revenue, 0)) OVER () AS total_revenue
                  FROM series se
                  LEFT JOIN intervals i ON i.score_from = se.score_from
                WINDOW best_first AS (ORDER BY se.score_from DESC)
                 ORDER BY se.score_from DESC
                """,
                interval=self.interval,
                order_revenue=order_revenue(),
                company=self.company_id.id,
                period=period,
            )
        )
