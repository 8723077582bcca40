from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.mkt_scoring.models.res_partner import TRENDS
from odoo.addons.mkt_scoring.tools.order_sql import ORDER_FIELDS, order_revenue


class MktTrendSnapshot(models.Model):
    """A customer's revenue trend at the start of a month.

    The scoring keeps only today's trend; one row per customer and month,
    written by the segments cron, tells how many customers moved from one trend
    to another since last month (``mkt.trend.movement.report``). The first
    month's predecessor is computed from the order history (``_seed``).
    """

    _name = "mkt.trend.snapshot"
    _description = "Customer Trend of the Month"
    _order = "month desc, id"
    _log_access = False

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", required=True, readonly=True, ondelete="cascade", index=True
    )
    month = fields.Date(required=True, readonly=True, help="First day of the month.")
    trend = fields.Selection(TRENDS, readonly=True)

    _sql_constraints = [
        (
            "partner_month_uniq",
            "unique(company_id, partner_id, month)",
            "A customer's trend is kept once a month.",
        ),
    ]

    @api.model
    def _take(self, company, month=None):
        """Keep the company's current trends as those of ``month`` (default:
        this month), once: a second run of the month changes nothing.

        The first time, the month before is seeded from the order history, so
        that the movements show from the start."""
        month = month or fields.Date.context_today(self).replace(day=1)
        if not self.search_count(
            [("company_id", "=", company.id), ("month", "<", month)], limit=1
        ):
            self._seed(company, month - relativedelta(months=1))
        self.env["mkt.customer.score"].flush_model(["company_id", "trend"])
        self.env.cr.execute(
            SQL(
                """INSERT INTO mkt_trend_snapshot (company_id, partner_id, month, trend)
                   SELECT company_id, partner_id, %s, trend FROM mkt_customer_score
                    WHERE company_id = %s AND trend IS NOT NULL
                   ON CONFLICT DO NOTHING""",
                month,
                company.id,
            )
        )
        self.invalidate_model()

    @api.model
    def _seed(self, company, month):
        """Keep the trends the customers had at the start of ``month``,
        computed from their confirmed orders before it by the scoring's own
        rule (``mkt.score.engine._trend_sql``) and the company's settings."""
        self.env["sale.order"].flush_model(ORDER_FIELDS)
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        since = month - relativedelta(months=company.mkt_trend_months)
        before = month - relativedelta(months=2 * company.mkt_trend_months)
        self.env.cr.execute(
            SQL(
                """
                WITH orders AS (
                    SELECT p.commercial_partner_id AS partner_id,
                           so.date_order::date AS day, %(revenue)s AS amount
                      FROM sale_order so
                      JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.state = 'sale' AND so.company_id = %(company)s
                       AND so.date_order < %(month)s
                ),
                order_facts AS (
                    SELECT partner_id, min(day) AS first_day,
                           sum(amount) FILTER (WHERE day >= %(since)s) AS trend_recent,
                           sum(amount) FILTER (WHERE day >= %(before)s
                                                 AND day < %(since)s) AS trend_previous
                      FROM orders GROUP BY partner_id
                ),
                gaps AS (
                    SELECT partner_id, avg(gap) AS gap_avg,
                           stddev_samp(gap) AS gap_stddev, count(*) AS gap_count
                      FROM (SELECT partner_id,
                                   day - lag(day) OVER (PARTITION BY partner_id
                                                        ORDER BY day) AS gap
                              FROM orders WHERE day >= %(before)s) AS intervals
                     WHERE gap IS NOT NULL GROUP BY partner_id
                ),
                m AS (
                    SELECT o.*, g.gap_avg, g.gap_stddev, g.gap_count
                      FROM order_facts o LEFT JOIN gaps g USING (partner_id)
                )
                INSERT INTO mkt_trend_snapshot (company_id, partner_id, month, trend)
                SELECT %(company)s, m.partner_id, %(month)s, %(trend)s FROM m
                ON CONFLICT DO NOTHING
                """,
                revenue=order_revenue(),
                company=company.id,
                month=month,
                since=since,
                before=before,
                trend=self.env["mkt.score.engine"]._trend_sql(company, month),
            )
        )
        self.invalidate_model()
