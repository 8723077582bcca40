"""The scoring run: one set-based SQL statement per batch of customers.

For a batch it aggregates the facts of the customers (confirmed sales orders,
posted invoices and credit notes with their payment dates, advertising costs),
turns each criterion's value into points through its bands, sums them into the
score, picks the class and the trend, and writes them to ``mkt.customer.score``;
for the customers whose class changed, it writes a history line and (unless it
is the customer's first class) a chatter note. The number of queries does not
depend on the batch size.

The daily run rewrites only the scores that changed (score, class, trend, or the
breakdown, compared through a hash of its values and points, so that the text of
the breakdown is built only for the scores written). That the others still hold
is recorded once per company, not once per customer: the run's day and how far
it got (customers are taken in id order), see ``_confirmed_date``. The stored
breakdown does not change by itself from day to day either: for recency and
customer age it holds the date of the last and of the first order, from which
the days and months are counted on the day the score was confirmed.
"""

import json
import logging
import operator as py_operator
import threading

from dateutil.relativedelta import relativedelta
from markupsafe import escape

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from ..tools.order_sql import order_revenue

_logger = logging.getLogger(__name__)

# Metrics whose values are whole numbers: stored without rounding.
INTEGER_METRICS = {
    "order_count",
    "return_count",
    "dunning_count",
}
# Metrics counted from an order date to the scoring day: the breakdown stores the
# date (which does not change every day), and the value is counted when read.
DATE_METRICS = {
    "recency_days": "last_day",
    "customer_age_months": "first_day",
}
COMPARISONS = {
    "=": py_operator.eq,
    "!=": py_operator.ne,
    "<": py_operator.lt,
    "<=": py_operator.le,
    ">": py_operator.gt,
    ">=": py_operator.ge,
}
RUN_FIELDS = [
    "mkt_score_run_date",
    "mkt_score_run_partner_id",
    "mkt_score_full_run_date",
]
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

        A company's run goes through its customers in id order; each batch
        records how far the run got (``mkt_score_run_partner_id``) in the same
        transaction as its scores, committed (outside tests), so a run after a
        crash goes on from there. One worker at a time per company: the batch
        locks the company's run state with ``SKIP LOCKED``, and a second worker,
        run in parallel, leaves that company alone. Customers scored today on
        their own (the button) are skipped.
        """
        batch_size = batch_size or self._batch_size
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        today = fields.Date.context_today(self)
        companies = self.env["mkt.score.criterion"].search([]).company_id
        due = self._count_due_partners(companies, today)
        done = 0
        for company in companies:
            while (position := self._lock_run(company, today)) is not None:
                partner_ids = self._claim_due_partners(
                    company, today, batch_size, after_id=position
                )
                if partner_ids:
                    self._score_partners(partner_ids, company, today, confirm=False)
                    done += len(partner_ids)
                self._record_run(company, today, partner_ids)
                # A parallel worker may take some: never report less than zero.
                remaining = max(due - done, 0)
                self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
                if auto_commit:
                    # One transaction per batch: a crash loses one batch at most.
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                if not partner_ids:
                    break
        _logger.info("Customer scoring: %d customers scored", done)

    @api.model
    def _score_partners(self, partner_ids, company, today=None, confirm=True):
        """Score the commercial partners ``partner_ids`` for ``company``.

        :param confirm: write today's date on every score, also those that did
            not change; the cron passes False, as its run state confirms them
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
            self._scoring_sql(
                list(partner_ids), company, criteria, classes, today, confirm
            )
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
        # NOT IN, not NOT EXISTS: PostgreSQL hashes the (few) customers scored
        # today once, where NOT EXISTS became one index probe per customer, as
        # it underestimates the customers (id = commercial_partner_id). No NULL
        # can come up: partner_id is required.
        return SQL(
            """p.active AND p.id = p.commercial_partner_id AND p.customer_rank > 0
               AND (p.company_id IS NULL OR p.company_id = %(company)s)
               AND p.id NOT IN (
                   SELECT s.partner_id FROM mkt_customer_score s
                    WHERE s.company_id = %(company)s AND s.score_date >= %(today)s)""",
            company=company.id,
            today=today,
        )

    def _claim_due_partners(self, company, today, limit, after_id=0):
        """Lock and return up to ``limit`` due customers, by id, after ``after_id``.

        Each claim of a run starts where the previous one ended, so that all
        the claims of a run read the customers once, not once per batch.
        Customers that another transaction holds are skipped.
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

    def _lock_run(self, company, today):
        """Lock ``company``'s run state; return the id of the last customer the
        run of ``today`` scored (0 when it starts), or None when another worker
        holds the lock. After a complete run, a second one on the same day goes
        on from there: it scores the customers created since."""
        self.env.cr.execute(
            SQL(
                """SELECT mkt_score_run_date, mkt_score_run_partner_id
                     FROM res_company WHERE id = %s
                      FOR NO KEY UPDATE SKIP LOCKED""",
                company.id,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return None
        run_date, position = row
        return (position or 0) if run_date == today else 0

    def _record_run(self, company, today, partner_ids):
        """The run of ``today`` scored ``partner_ids``; none left: it is complete."""
        if partner_ids:
            values = SQL(
                "mkt_score_run_date = %s, mkt_score_run_partner_id = %s",
                today,
                partner_ids[-1],
            )
        else:
            values = SQL(
                "mkt_score_run_date = %s, mkt_score_full_run_date = %s", today, today
            )
        self.env.cr.execute(
            SQL("UPDATE res_company SET %s WHERE id = %s", values, company.id)
        )
        company.invalidate_recordset(RUN_FIELDS)

    def _count_due_partners(self, companies, today):
        """Roughly how many customers are due: for the progress bar only.

        Customers times companies, minus those the runs of today already passed.
        """
        self.env.cr.execute(
            SQL(
                """SELECT (SELECT count(*) FROM res_partner p
                            WHERE p.active AND p.id = p.commercial_partner_id
                              AND p.customer_rank > 0) * %s
                          - (SELECT count(*) FROM res_partner p
                               JOIN res_company c ON c.id = ANY(%s)
                                AND c.mkt_score_run_date = %s
                                AND p.id <= c.mkt_score_run_partner_id
                              WHERE p.active AND p.id = p.commercial_partner_id
                                AND p.customer_rank > 0)""",
                len(companies),
                companies.ids,
                today,
            )
        )
        return max(self.env.cr.fetchone()[0], 0)

    @api.model
    def _confirmed_date(self, company, partner_id, score_date):
        """The day the score of ``partner_id`` was last confirmed: its own date
        (of its last change, or of a rescore on its own), or that of the last
        complete run of ``company``, or of today's run once it passed the
        customer, whichever is latest."""
        dates = [score_date, company.mkt_score_full_run_date]
        if partner_id <= company.mkt_score_run_partner_id:
            dates.append(company.mkt_score_run_date)
        return max(filter(None, dates), default=False)

    @api.model
    def _confirmed_date_domain(self, company, operator, value):
        """A domain on mkt.customer.score: its confirmed date (``_confirmed_date``)
        compares with ``value`` by ``operator``."""
        if value is False or value is None or operator not in COMPARISONS:
            # Set or not: a score always has a date of its own.
            return [("score_date", operator, value)]
        value = fields.Date.to_date(value)
        if operator == "=":
            return (
                ["&"]
                + self._confirmed_date_domain(company, ">=", value)
                + self._confirmed_date_domain(company, "<=", value)
            )
        if operator == "!=":
            return ["!"] + self._confirmed_date_domain(company, "=", value)
        compare = COMPARISONS[operator]
        true, false = [(1, "=", 1)], [(0, "=", 1)]

        def holds(day):
            return bool(day) and compare(day, value)

        position = company.mkt_score_run_partner_id
        if operator in (">", ">="):
            # the latest of the dates is later: any of them is
            run_domain = (
                [("partner_id", "<=", position)]
                if holds(company.mkt_score_run_date)
                else false
            )
            return expression.OR([
                [("score_date", operator, value)],
                true if holds(company.mkt_score_full_run_date) else false,
                run_domain,
            ])  # fmt: skip
        # the latest of the dates is earlier: each of them is
        run_domain = (
            true
            if not company.mkt_score_run_date or holds(company.mkt_score_run_date)
            else [("partner_id", ">", position)]
        )
        full_ok = not company.mkt_score_full_run_date or holds(
            company.mkt_score_full_run_date
        )
        return expression.AND([
            [("score_date", operator, value)],
            true if full_ok else false,
            run_domain,
        ])  # fmt: skip

    @api.model
    def _date_metrics(self, company):
        """{criterion id (str): metric} of ``company``'s criteria whose breakdown
        holds a date (``DATE_METRICS``), archived ones included."""
        criteria = (
            self.env["mkt.score.criterion"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "=", company.id),
                    ("metric", "in", list(DATE_METRICS)),
                ]
            )
        )
        return {str(criterion.id): criterion.metric for criterion in criteria}

    @api.model
    def _breakdown_on(self, details, day, date_metrics):
        """The stored breakdown ``details`` with the values of ``day``: the
        days and months counted from the dates it holds (``DATE_METRICS``)."""
        breakdown = json.loads(details or "{}")
        for key, metric in date_metrics.items():
            if key not in breakdown or not isinstance(breakdown[key][0], str):
                continue
            since = fields.Date.to_date(breakdown[key][0])
            if metric == "recency_days":
                breakdown[key][0] = (day - since).days
            else:  # customer_age_months, counted as age() does
                breakdown[key][0] = (
                    (day.year - since.year) * 12
                    + day.month
                    - since.month
                    - (since.day > day.day)
                )
        return json.dumps(breakdown)

    # ------------------------------------------------------------------
    # The statement
    # ------------------------------------------------------------------

    def _scoring_sql(self, partner_ids, company, criteria, classes, today, confirm):
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
        return SQL(
            """
            WITH target AS (SELECT unnest(%(ids)s) AS partner_id),
            orders AS (
                SELECT p.commercial_partner_id AS partner_id, so.date_order::date AS day,
                       %(order_revenue)s AS amount
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s
                   AND p.commercial_partner_id = ANY(%(ids)s)
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
                   AND m.commercial_partner_id = ANY(%(ids)s)
            ),
            invoice_facts AS (
                SELECT partner_id %(invoice_columns)s FROM invoices GROUP BY partner_id
            ),
            ad_costs AS (%(ad_costs)s),
            ad_cost_facts AS (
                SELECT partner_id %(ad_cost_columns)s FROM ad_costs GROUP BY partner_id
            ),
            metrics AS (
                SELECT t.partner_id, o.first_day, o.last_day, o.trend_recent,
                       o.trend_previous, g.gap_avg, g.gap_stddev, g.gap_count %(values)s
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
                SELECT m.*, (%(score)s)::int AS score, %(fingerprint)s AS fingerprint
                  FROM pointed m
            ),
            classed AS (
                SELECT s.*, current.id AS score_id, current.class_id AS old_class_id,
                       (current.score, current.class_id, current.trend,
                        current.details_fingerprint)
                           IS DISTINCT FROM (s.score, s.class_id, s.trend, s.fingerprint)
                           AS changed
                  FROM (SELECT s.*, %(class)s AS class_id FROM scored s) AS s
                  LEFT JOIN mkt_customer_score current
                         ON current.partner_id = s.partner_id
                        AND current.company_id = %(company)s
                        -- the batch's range: only its part of the table is hashed
                        AND current.partner_id BETWEEN %(first_id)s AND %(last_id)s
            ),
            updated AS (
                UPDATE mkt_customer_score current
                   SET score = c.score, class_id = c.class_id, score_date = %(today)s,
                       trend = c.trend, details = %(c_details)s,
                       details_fingerprint = c.fingerprint
                  FROM classed c
                 WHERE current.id = c.score_id
                   -- The cron's run state confirms the scores that still hold.
                   -- The ids first: an index scan for the few changed scores,
                   -- not a scan of the table to join it with the batch.
                   AND current.id = ANY(ARRAY(
                       SELECT score_id FROM classed
                        WHERE score_id IS NOT NULL AND (%(confirm)s OR changed)))
            ),
            inserted AS (
                INSERT INTO mkt_customer_score (
                    partner_id, company_id, score, class_id, score_date, trend, details,
                    details_fingerprint)
                SELECT c.partner_id, %(company)s, c.score, c.class_id, %(today)s, c.trend,
                       %(c_details)s, c.fingerprint
                  FROM classed c
                 WHERE c.score_id IS NULL
                    ON CONFLICT (partner_id, company_id) DO NOTHING
            ),
            history AS (
                INSERT INTO mkt_score_history (
                    partner_id, company_id, date, score, class_id, previous_class_id)
                SELECT partner_id, %(company)s, %(today)s, score, class_id, old_class_id
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
            ids=self._int_array(partner_ids),
            first_id=min(partner_ids),
            last_id=max(partner_ids),
            confirm=confirm,
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
            # The breakdown is text for staff, slow to build: it is built only
            # for the scores written, and its fingerprint tells which changed.
            c_details=self._details_sql(criteria, "c"),
            fingerprint=self._fingerprint_sql(criteria, "m"),
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
            # Whole months from the first order to today, as age() counts them,
            # in integer arithmetic (EXTRACT and age() work in numeric).
            return (
                "derived",
                SQL(
                    "(%s - date_part('year', o.first_day)::int * 12"
                    " - date_part('month', o.first_day)::int"
                    " - (date_part('day', o.first_day)::int > %s)::int)",
                    today.year * 12 + today.month,
                    today.day,
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

    def _details_sql(self, criteria, alias):
        """JSON text {"criterion id": [value, points], ...}: the breakdown, from
        the columns of the row ``alias``.

        Built by concatenating text, several times cheaper per customer than
        building a jsonb value from parts. Recency and customer age hold the
        date they count from (``DATE_METRICS``): see the module docstring.
        """
        if not criteria:
            return SQL("'{}'")

        def value(criterion):
            if criterion.metric in DATE_METRICS:
                return SQL(
                    "'\"' || %s || '\"'",
                    SQL.identifier(alias, DATE_METRICS[criterion.metric]),
                )
            column = SQL.identifier(alias, f"v{criterion.id}")
            if criterion.metric in INTEGER_METRICS:
                return column
            return SQL("round(%s::numeric, 2)", column)

        pairs = SQL(" || ',' || ").join(
            SQL(
                "%s || COALESCE(%s::text, 'null') || ',' || %s || ']'",
                f'"{criterion.id}":[',
                value(criterion),
                SQL.identifier(alias, f"p{criterion.id}"),
            )
            for criterion in criteria
        )
        return SQL("('{' || %s || '}')", pairs)

    def _fingerprint_sql(self, criteria, alias):
        """A hash of what the breakdown (``_details_sql``) shows, from the columns
        of the row ``alias``: criterion ids, values (or the dates they count
        from) and points. Hashing the values takes a fraction of the time of
        writing them out as text."""
        if not criteria:
            return SQL("0")
        parts = []
        for criterion in criteria:
            if criterion.metric in DATE_METRICS:
                value = SQL.identifier(alias, DATE_METRICS[criterion.metric])
            else:
                value = SQL.identifier(alias, f"v{criterion.id}")
            parts.append(
                SQL(
                    "%s, %s, %s",
                    criterion.id,
                    value,
                    SQL.identifier(alias, f"p{criterion.id}"),
                )
            )
        return SQL("hash_record(ROW(%s))", SQL(", ").join(parts))

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
    def _int_array(ids):
        """``ids`` as one array literal: a list parameter becomes ARRAY[1, 2, ...],
        an expression of one node per id that takes PostgreSQL longer to parse
        and plan (100 ms for 50,000 ids) than the whole scoring takes per id."""
        return SQL("%s::int[]", "{" + ",".join(str(int(id_)) for id_ in ids) + "}")

    @staticmethod
    def _html_escape_sql(text):
        return SQL(
            "NULLIF(replace(replace(replace(%s, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '')",
            text,
        )
