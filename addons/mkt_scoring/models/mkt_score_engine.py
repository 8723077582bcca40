"""The scoring run: one set-based SQL statement per batch of customers.

For a batch it aggregates the facts of the customers (confirmed sales orders,
posted invoices and credit notes with their payment dates, advertising costs),
turns each criterion's value into points through its bands, sums them into the
score, picks the class and the trend, and writes them to ``mkt.customer.score``;
for the customers whose class changed, it writes a history line and (unless it
is the customer's first class) a chatter note. The number of queries does not
depend on the batch size.
"""

import logging
import threading

from dateutil.relativedelta import relativedelta
from markupsafe import escape

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.order_sql import order_revenue

_logger = logging.getLogger(__name__)

# Metrics whose values are whole numbers: stored without rounding.
INTEGER_METRICS = {
    "order_count",
    "recency_days",
    "return_count",
    "dunning_count",
    "customer_age_months",
}
SCORE_FIELDS = [
    "mkt_score",
    "mkt_class_id",
    "mkt_score_date",
    "mkt_trend",
    "mkt_score_details",
]


class MktScoreEngine(models.AbstractModel):
    _name = "mkt.score.engine"
    _description = "Customer Scoring Engine"

    _batch_size = 50_000

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------

    @api.model
    def _cron_compute_scores(self, batch_size=None):
        """Rescore every customer of every company, in batches.

        Work is selected by state: a customer is due when it was not scored
        today for that company. Each batch is claimed with ``FOR NO KEY UPDATE
        SKIP LOCKED`` and committed (outside tests), so a second run, a parallel
        run or a run after a crash only does what is left.
        """
        batch_size = batch_size or self._batch_size
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        today = fields.Date.context_today(self)
        companies = self.env["mkt.score.criterion"].search([]).company_id
        due = self._count_due_partners(companies, today)
        done = 0
        for company in companies:
            last_id = 0
            while partner_ids := self._claim_due_partners(
                company, today, batch_size, after_id=last_id
            ):
                self._score_partners(partner_ids, company, today)
                done += len(partner_ids)
                last_id = partner_ids[-1]
                # A parallel worker may take some: never report less than zero.
                remaining = max(due - done, 0)
                self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
                if auto_commit:
                    # One transaction per batch: a crash loses one batch at most.
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        _logger.info("Customer scoring: %d customers scored", done)

    @api.model
    def _score_partners(self, partner_ids, company, today=None):
        """Score the commercial partners ``partner_ids`` for ``company``.

        :return: the number of customers whose class changed
        """
        if not partner_ids:
            return 0
        today = today or fields.Date.context_today(self)
        criteria = self.env["mkt.score.criterion"].search(
            [("company_id", "=", company.id)]
        )
        classes = self.env["mkt.customer.class"].search(
            [("company_id", "=", company.id)]
        )
        self.env.flush_all()
        # JIT would compile this large statement anew for every batch, which
        # takes longer than running it.
        self.env.cr.execute("SET LOCAL jit = off")
        self.env.cr.execute(
            self._scoring_sql(list(partner_ids), company, criteria, classes, today)
        )
        changed = self.env.cr.fetchone()[0]
        self.env["mkt.customer.score"].invalidate_model()
        self.env["res.partner"].invalidate_model(SCORE_FIELDS)
        self.env["mkt.score.history"].invalidate_model()
        self.env["mail.message"].invalidate_model()
        return changed

    # ------------------------------------------------------------------
    # Work selection
    # ------------------------------------------------------------------

    def _due_partners_where(self, company, today):
        return SQL(
            """p.active AND p.id = p.commercial_partner_id AND p.customer_rank > 0
               AND (p.company_id IS NULL OR p.company_id = %(company)s)
               AND NOT EXISTS (
                   SELECT 1 FROM mkt_customer_score s
                    WHERE s.partner_id = p.id AND s.company_id = %(company)s
                      AND s.score_date >= %(today)s)""",
            company=company.id,
            today=today,
        )

    def _claim_due_partners(self, company, today, limit, after_id=0):
        """Lock and return up to ``limit`` due customers, by id, after ``after_id``.

        Each claim of a run starts where the previous one ended, so that all
        the claims of a run read the customers once, not once per batch.
        Customers that another worker holds are skipped.
        """
        self.env.cr.execute(
            SQL(
                """SELECT p.id FROM res_partner p WHERE p.id > %s AND %s
                    ORDER BY p.id LIMIT %s FOR NO KEY UPDATE SKIP LOCKED""",
                after_id,
                self._due_partners_where(company, today),
                limit,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _count_due_partners(self, companies, today):
        """Roughly how many customers are due: for the progress bar only.

        Customers minus those already scored today, which avoids a per-customer
        lookup that would cost as much as a claim.
        """
        self.env.cr.execute(
            SQL(
                """SELECT (SELECT count(*) FROM res_partner p
                            WHERE p.active AND p.id = p.commercial_partner_id
                              AND p.customer_rank > 0) * %s
                          - (SELECT count(*) FROM mkt_customer_score
                              WHERE company_id = ANY(%s) AND score_date >= %s)""",
                len(companies),
                companies.ids,
                today,
            )
        )
        return max(self.env.cr.fetchone()[0], 0)

    # ------------------------------------------------------------------
    # The statement
    # ------------------------------------------------------------------

    def _scoring_sql(self, partner_ids, company, criteria, classes, today):
        # Each criterion is one aggregate column of its source, named v<id>.
        columns = {"orders": [], "invoices": [], "ad_costs": []}
        values = []
        for criterion in criteria:
            column = SQL.identifier(f"v{criterion.id}")
            source, aggregate, empty = self._metric_parts(criterion, today)
            if source == "derived":
                values.append(SQL("%s AS %s", aggregate, column))
                continue
            columns[source].append(SQL("%s AS %s", aggregate, column))
            alias = {"orders": "o", "invoices": "i", "ad_costs": "a"}[source]
            value = SQL.identifier(alias, f"v{criterion.id}")
            values.append(SQL("COALESCE(%s, %s) AS %s", value, empty, column))
        points = [
            SQL(
                "%s AS %s",
                self._points_sql(c, SQL.identifier(f"v{c.id}")),
                SQL.identifier(f"p{c.id}"),
            )
            for c in criteria
        ]
        point_columns = [SQL.identifier(f"p{c.id}") for c in criteria]
        score = SQL(" + ").join(point_columns) if criteria else SQL("0")
        details = self._details_sql(criteria)
        return SQL(
            """
            WITH target AS (SELECT unnest(%(ids)s::int[]) AS partner_id),
            orders AS (
                SELECT p.commercial_partner_id AS partner_id, so.date_order::date AS day,
                       %(order_revenue)s AS amount
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s
                   AND p.commercial_partner_id = ANY(%(ids)s::int[])
            ),
            order_facts AS (
                SELECT partner_id %(order_columns)s, min(day) AS first_day,
                       max(day) AS last_day,
                       sum(amount) FILTER (WHERE day >= %(trend_since)s) AS trend_recent,
                       sum(amount) FILTER (WHERE day >= %(trend_before)s
                                             AND day < %(trend_since)s) AS trend_previous
                  FROM orders GROUP BY partner_id
            ),
            gaps AS (
                SELECT partner_id, avg(gap) AS gap_avg, stddev_samp(gap) AS gap_stddev,
                       count(*) AS gap_count
                  FROM (SELECT partner_id,
                               day - lag(day) OVER (PARTITION BY partner_id ORDER BY day)
                                   AS gap
                          FROM orders WHERE day >= %(trend_before)s) AS intervals
                 WHERE gap IS NOT NULL GROUP BY partner_id
            ),
            invoices AS (
                SELECT m.commercial_partner_id AS partner_id, m.move_type,
                       m.invoice_date AS day, m.invoice_date_due AS due,
                       abs(m.amount_untaxed_signed) AS amount,
                       abs(m.amount_residual_signed) AS residual, paid.day AS paid_day
                  FROM account_move m
                  LEFT JOIN LATERAL (
                      SELECT max(apr.max_date) AS day
                        FROM account_move_line aml
                        JOIN account_partial_reconcile apr ON apr.debit_move_id = aml.id
                       WHERE aml.move_id = m.id AND aml.display_type = 'payment_term'
                         AND m.move_type = 'out_invoice' AND m.amount_residual = 0
                  ) AS paid ON TRUE
                 WHERE m.state = 'posted' AND m.company_id = %(company)s
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.commercial_partner_id = ANY(%(ids)s::int[])
            ),
            invoice_facts AS (
                SELECT partner_id %(invoice_columns)s FROM invoices GROUP BY partner_id
            ),
            ad_costs AS (%(ad_costs)s),
            ad_cost_facts AS (
                SELECT partner_id %(ad_cost_columns)s FROM ad_costs GROUP BY partner_id
            ),
            metrics AS (
                SELECT t.partner_id, o.first_day, o.trend_recent, o.trend_previous,
                       g.gap_avg, g.gap_stddev, g.gap_count %(values)s
                  FROM target t
                  LEFT JOIN order_facts o ON o.partner_id = t.partner_id
                  LEFT JOIN gaps g ON g.partner_id = t.partner_id
                  LEFT JOIN invoice_facts i ON i.partner_id = t.partner_id
                  LEFT JOIN ad_cost_facts a ON a.partner_id = t.partner_id
            ),
            -- MATERIALIZED: each CASE of the bands is evaluated once per customer.
            pointed AS MATERIALIZED (
                SELECT m.*, %(trend)s AS trend %(points)s FROM metrics m
            ),
            scored AS (
                SELECT m.partner_id, (%(score)s)::int AS score, m.trend,
                       %(details)s AS details
                  FROM pointed m
            ),
            classed AS (
                SELECT s.*, %(class)s AS class_id, current.id AS score_id,
                       current.class_id AS old_class_id
                  FROM scored s
                  LEFT JOIN mkt_customer_score current
                         ON current.partner_id = s.partner_id
                        AND current.company_id = %(company)s
            ),
            updated AS (
                UPDATE mkt_customer_score current
                   SET score = c.score, class_id = c.class_id, score_date = %(today)s,
                       trend = c.trend, details = c.details, write_uid = %(uid)s,
                       write_date = now() AT TIME ZONE 'UTC'
                  FROM classed c
                 WHERE current.id = c.score_id
            ),
            inserted AS (
                INSERT INTO mkt_customer_score (
                    partner_id, company_id, score, class_id, score_date, trend, details,
                    create_uid, create_date, write_uid, write_date)
                SELECT partner_id, %(company)s, score, class_id, %(today)s, trend,
                       details, %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s,
                       now() AT TIME ZONE 'UTC'
                  FROM classed
                 WHERE score_id IS NULL
                    ON CONFLICT (partner_id, company_id) DO NOTHING
            ),
            history AS (
                INSERT INTO mkt_score_history (
                    partner_id, company_id, date, score, class_id, previous_class_id,
                    create_uid, create_date, write_uid, write_date)
                SELECT partner_id, %(company)s, %(today)s, score, class_id, old_class_id,
                       %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM classed
                 WHERE class_id IS DISTINCT FROM old_class_id
             RETURNING partner_id, score, class_id, previous_class_id
            ),
            notes AS (
            INSERT INTO mail_message (
                model, res_id, message_type, subtype_id, is_internal, author_id, body,
                date, create_uid, create_date, write_uid, write_date)
            SELECT 'res.partner', h.partner_id, 'notification', %(note)s, TRUE,
                   %(author)s, %(body)s, now() AT TIME ZONE 'UTC',
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM history h
              LEFT JOIN mkt_customer_class new_class ON new_class.id = h.class_id
              LEFT JOIN mkt_customer_class old_class ON old_class.id = h.previous_class_id
             -- a first class is history, not news: no note for it on the chatter
             WHERE h.previous_class_id IS NOT NULL
             RETURNING 1
            )
            SELECT count(*) FROM history
            """,
            ids=partner_ids,
            company=company.id,
            today=today,
            uid=self.env.uid,
            trend_since=today - relativedelta(months=company.mkt_trend_months),
            trend_before=today - relativedelta(months=2 * company.mkt_trend_months),
            ad_costs=self._ad_costs_sql(company),
            values=SQL("").join(SQL(", %s", value) for value in values),
            order_columns=SQL("").join(SQL(", %s", c) for c in columns["orders"]),
            invoice_columns=SQL("").join(SQL(", %s", c) for c in columns["invoices"]),
            ad_cost_columns=SQL("").join(SQL(", %s", c) for c in columns["ad_costs"]),
            score=score,
            points=SQL("").join(SQL(", %s", point) for point in points),
            trend=self._trend_sql(company, today),
            order_revenue=order_revenue(),
            details=details,
            **{"class": self._class_sql(classes, SQL.identifier("s", "score"))},
            note=self.env.ref("mail.mt_note").id,
            author=self.env.user.partner_id.id,
            body=self._change_note_sql(),
        )

    # ------------------------------------------------------------------
    # Pieces of the statement
    # ------------------------------------------------------------------

    def _metric_parts(self, criterion, today):
        """How ``criterion`` is measured: (source, SQL, value when no facts).

        ``source`` is the CTE whose rows the SQL aggregates (orders, invoices,
        ad_costs), or "derived" for values computed from the order facts (o.*).
        """
        lifetime = not criterion.period_months
        since = today - relativedelta(months=criterion.period_months)
        in_period = SQL("TRUE") if lifetime else SQL("day >= %s", since)
        invoice = SQL("move_type = 'out_invoice' AND %s", in_period)
        refund = SQL("move_type = 'out_refund' AND %s", in_period)
        zero, unknown = SQL("0"), SQL("NULL")
        metric = criterion.metric
        if metric == "order_count":
            return "orders", SQL("count(*) FILTER (WHERE %s)", in_period), zero
        if metric == "revenue":
            return "orders", SQL("sum(amount) FILTER (WHERE %s)", in_period), zero
        if metric == "average_order_value":
            return "orders", SQL("avg(amount) FILTER (WHERE %s)", in_period), unknown
        if metric == "recency_days":
            return "derived", SQL("(%s::date - o.last_day)", today), unknown
        if metric == "customer_age_months":
            return (
                "derived",
                SQL(
                    "(EXTRACT(YEAR FROM age(%(today)s::date, o.first_day)) * 12"
                    " + EXTRACT(MONTH FROM age(%(today)s::date, o.first_day)))",
                    today=today,
                ),
                unknown,
            )
        if metric == "return_count":
            return "invoices", SQL("count(*) FILTER (WHERE %s)", refund), zero
        if metric == "return_share":
            return (
                "invoices",
                SQL(
                    "100 * sum(amount) FILTER (WHERE %s)"
                    " / NULLIF(sum(amount) FILTER (WHERE %s), 0)",
                    refund,
                    invoice,
                ),
                unknown,
            )
        if metric == "dunning_count":
            # Open invoices count until today, paid ones until their payment.
            late = SQL(
                "(CASE WHEN residual > 0 THEN %s::date ELSE paid_day END) - due > %s",
                today,
                criterion.overdue_days,
            )
            return (
                "invoices",
                SQL("count(*) FILTER (WHERE %s AND %s)", invoice, late),
                zero,
            )
        if metric == "payment_delay_days":
            return (
                "invoices",
                SQL(
                    "avg(GREATEST(paid_day - due, 0))"
                    " FILTER (WHERE %s AND paid_day IS NOT NULL)",
                    invoice,
                ),
                unknown,
            )
        if metric == "ad_cost":
            return "ad_costs", SQL("sum(amount) FILTER (WHERE %s)", in_period), zero
        raise ValueError(f"Unknown scoring metric {metric!r}")

    def _ad_costs_sql(self, company):
        """Advertising costs spent on customers, as rows (partner_id, day, amount).

        Nothing here: promotions and campaigns extend this with what they spend.
        """
        return SQL(
            "SELECT NULL::int AS partner_id, NULL::date AS day, NULL::numeric AS amount"
            " WHERE FALSE"
        )

    def _points_sql(self, criterion, value):
        """The points of ``value`` through the bands of ``criterion``.

        The band limits become one sorted array of thresholds, and
        ``width_bucket`` (a binary search) finds the interval a value falls in;
        an array gives each interval its points (0 below the first band and in
        gaps). One function call per value instead of a chain of comparisons.
        """
        bands = criterion.band_ids.sorted("value_from")
        if not bands:
            return SQL("0")
        thresholds, points = [], [0]
        for band in bands:
            if thresholds and thresholds[-1] == band.value_from:
                points[-1] = band.points  # the previous band ends where this starts
            else:
                thresholds.append(band.value_from)
                points.append(band.points)
            if not band.open_ended:
                thresholds.append(band.value_to)
                points.append(0)
        return SQL(
            "COALESCE((%s::int[])[width_bucket(%s, %s::numeric[]) + 1], 0)",
            points,
            value,
            thresholds,
        )

    def _details_sql(self, criteria):
        """JSON text {"criterion id": [value, points], ...}: the breakdown.

        Built by concatenating text, several times cheaper per customer than
        building a jsonb value from parts.
        """
        if not criteria:
            return SQL("'{}'")
        pairs = SQL(" || ',' || ").join(
            SQL(
                "%s || COALESCE(%s::text, 'null') || ',' || %s || ']'",
                f'"{criterion.id}":[',
                SQL.identifier(f"v{criterion.id}")
                if criterion.metric in INTEGER_METRICS
                else SQL("round(%s::numeric, 2)", SQL.identifier(f"v{criterion.id}")),
                SQL.identifier(f"p{criterion.id}"),
            )
            for criterion in criteria
        )
        return SQL("('{' || %s || '}')", pairs)

    def _class_sql(self, classes, score):
        branches = [
            SQL(
                "WHEN %s >= %s THEN %s",
                score,
                customer_class.min_score,
                customer_class.id,
            )
            for customer_class in classes.sorted("min_score", reverse=True)
        ]
        if not branches:
            return SQL("NULL::int")
        return SQL("(CASE %s ELSE NULL END)", SQL(" ").join(branches))

    def _trend_sql(self, company, today):
        """new, lapsed, growing, declining, regular or occasional; NULL without orders."""
        change = company.mkt_trend_change_percent / 100
        return SQL(
            """CASE
                WHEN m.first_day IS NULL THEN NULL
                WHEN m.first_day >= %(new_since)s THEN 'new'
                WHEN COALESCE(m.trend_recent, 0) <= 0 THEN 'lapsed'
                WHEN COALESCE(m.trend_previous, 0) <= 0
                  OR m.trend_recent >= m.trend_previous * (1 + %(change)s) THEN 'growing'
                WHEN m.trend_recent <= m.trend_previous * (1 - %(change)s) THEN 'declining'
                WHEN m.gap_count >= 2
                 AND m.gap_stddev <= m.gap_avg * %(regular)s THEN 'regular'
                ELSE 'occasional'
            END""",
            new_since=today - relativedelta(months=company.mkt_trend_new_months),
            change=change,
            regular=company.mkt_trend_regular_percent / 100,
        )

    def _change_note_sql(self):
        """HTML body of the chatter note on a class change, in the run's language."""
        template = self.env._(
            "Customer class changed from %(old)s to %(new)s (score %(score)s).",
            old="\x00old\x00",
            new="\x00new\x00",
            score="\x00score\x00",
        )
        none = self.env._("none")
        pieces = str(escape(template)).split("\x00")
        parts = []
        for index, piece in enumerate(pieces):
            if index % 2 == 0:
                parts.append(SQL("%s", piece))
            elif piece == "score":
                parts.append(SQL("h.score::text"))
            else:
                parts.append(
                    SQL(
                        "COALESCE(%s, %s)",
                        self._html_escape_sql(
                            SQL(
                                "COALESCE(%s.name->>'en_US', '')",
                                SQL.identifier(f"{piece}_class"),
                            )
                        ),
                        none,
                    )
                )
        return SQL("'<p>' || %s || '</p>'", SQL(" || ").join(parts))

    @staticmethod
    def _html_escape_sql(text):
        return SQL(
            "NULLIF(replace(replace(replace(%s, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '')",
            text,
        )
