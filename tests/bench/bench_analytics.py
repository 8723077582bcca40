"""Attribution rebuild and performance report against the hand-written SQL floor.

    ./mkt bench analytics --partners 100000 --orders 2 --traces 1000000
    ./mkt bench analytics --reuse --rounds 3     # again on the same data

With those sizes: 100,000 customers, 200,000 confirmed orders (1,000,000 lines,
invoices and credit notes), 1,000,000 mail traces of 40 mailings over the two
years of orders (40 % opened, 12 % clicked), 20 promotion actions on a tenth of
the orders and the mailing link on 2 % of them. Rule: last touch, clicked mails,
30 days.

Goal: rebuilding the attribution of every order (the cron: batches of
orders, commits) takes at most twice the floor, one hand-written statement computing
the same rows into a temporary table (also shown: the first build into an empty
table, which writes every row); reading the performance report (every
row, then grouped by kind) at most twice the hand-written SQL computing the
same figures, and under 2 s.
"""

import random
import statistics

from common import Timer, argument_parser, bench_env, peak_memory_mib, report
from datagen import generate

MAILINGS = 40
PROMOTIONS = 20

FLOOR_ATTRIBUTION_SQL = """
CREATE TEMP TABLE floor_attribution AS
WITH orders AS (
    SELECT so.id, so.date_order, so.source_id, so.mkt_promotion_id,
           p.commercial_partner_id AS partner_id,
           so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
             - COALESCE((SELECT sum(aml.balance)
                           FROM sale_order_line sol
                           JOIN sale_order_line_invoice_rel rel
                             ON rel.order_line_id = sol.id
                           JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                           JOIN account_move am ON am.id = aml.move_id
                          WHERE sol.order_id = so.id AND aml.parent_state = 'posted'
                            AND am.move_type = 'out_refund'), 0) AS value
      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
     WHERE so.state = 'sale'
), touches AS (
    SELECT o.id AS order_id, 'mailing' AS kind, 1 AS priority,
           t.links_click_datetime AS at, t.mass_mailing_id AS ref, TRUE AS clicked
      FROM orders o
      JOIN res_partner member ON member.commercial_partner_id = o.partner_id
      JOIN mailing_trace t ON t.model = 'res.partner' AND t.res_id = member.id
     WHERE t.mass_mailing_id IS NOT NULL
       AND t.links_click_datetime <= o.date_order
       AND t.links_click_datetime >= o.date_order - interval '30 days'
    UNION ALL
    SELECT o.id, 'mailing', 1, o.date_order, m.id, TRUE
      FROM orders o JOIN mailing_mailing m ON m.source_id = o.source_id
    UNION ALL
    SELECT o.id, 'promotion', 3, o.date_order, o.mkt_promotion_id, FALSE
      FROM orders o WHERE o.mkt_promotion_id IS NOT NULL
), last_touch AS (
    SELECT DISTINCT ON (order_id) * FROM touches
     ORDER BY order_id, at DESC, priority DESC, kind, ref
)
SELECT o.id AS order_id, o.partner_id, l.kind, l.ref, l.clicked, o.value
  FROM last_touch l JOIN orders o ON o.id = l.order_id
"""

FLOOR_REPORT_SQL = """
WITH attributed AS (
    SELECT touch_kind, mailing_id, promotion_id,
           count(DISTINCT partner_id) AS buyers,
           count(DISTINCT partner_id) FILTER (WHERE clicked) AS click_buyers,
           sum(weight) AS orders, sum(revenue) AS revenue,
           min(order_value) AS low, max(order_value) AS high
      FROM mkt_attribution GROUP BY touch_kind, mailing_id, promotion_id
), traces AS (
    SELECT mass_mailing_id,
           count(*) FILTER (WHERE trace_status IN ('sent', 'open', 'reply')) AS recipients,
           count(*) FILTER (WHERE trace_status IN ('open', 'reply')
               OR open_datetime IS NOT NULL OR links_click_datetime IS NOT NULL) AS opened,
           count(*) FILTER (WHERE links_click_datetime IS NOT NULL) AS clicked
      FROM mailing_trace WHERE mass_mailing_id IS NOT NULL GROUP BY mass_mailing_id
), costs AS (
    SELECT aal.account_id, -sum(aal.amount) AS cost FROM account_analytic_line aal
     GROUP BY aal.account_id
)
SELECT 'mailing' AS kind, m.id, t.recipients, t.opened, t.clicked, a.buyers,
       a.click_buyers, a.orders,
       a.revenue, a.low, a.high, a.revenue / NULLIF(a.orders, 0),
       a.click_buyers::float / NULLIF(t.recipients, 0),
       a.click_buyers::float / NULLIF(t.clicked, 0),
       a.revenue / NULLIF(t.recipients, 0), 0 AS cost, NULL::numeric AS roi
  FROM mailing_mailing m JOIN traces t ON t.mass_mailing_id = m.id
  LEFT JOIN attributed a ON a.touch_kind = 'mailing' AND a.mailing_id = m.id
UNION ALL
SELECT 'promotion', p.id, p.circulation, 0, 0, a.buyers, a.click_buyers, a.orders, a.revenue,
       a.low, a.high, a.revenue / NULLIF(a.orders, 0), 0, 0,
       a.revenue / NULLIF(p.circulation, 0), c.cost,
       (a.revenue - c.cost) / NULLIF(c.cost, 0)
  FROM mkt_promotion p
  LEFT JOIN attributed a ON a.touch_kind = 'promotion' AND a.promotion_id = p.id
  LEFT JOIN costs c ON c.account_id = p.analytic_account_id
"""


# The report's second read: totals per kind, ROI from the sums.
FLOOR_REPORT_GROUPED_SQL = f"""
SELECT kind, sum(recipients), sum(revenue), sum(cost),
       (sum(revenue) - sum(cost)) / NULLIF(sum(cost), 0)
  FROM ({FLOOR_REPORT_SQL}) rows(kind, id, recipients, opened, clicked, buyers,
       click_buyers, orders, revenue, low, high, average, clicked_bought,
       clickers_bought, per_recipient, cost, roi)
 GROUP BY kind
"""


def generate_marketing(env, traces):
    """Mailings, promotions and mail traces over the bench customers."""
    company = env.company
    mailings = env["mailing.mailing"].create(
        [
            {
                "subject": f"Bench newsletter {number}",
                "body_html": "<p>Bench</p>",
                "mailing_model_id": env["ir.model"]._get_id("res.partner"),
                "state": "done",
            }
            for number in range(MAILINGS)
        ]
    )
    promotions = env["mkt.promotion"].create(
        [
            {
                "name": f"Bench action {number}",
                "code": f"B{number:02d}",
                "medium": "catalog",
                "circulation": 10_000,
                "ad_cost": 2_000,
                "company_id": company.id,
            }
            for number in range(PROMOTIONS)
        ]
    )
    env.flush_all()
    cr = env.cr
    cr.execute("SELECT setseed(0.7)")
    # Each trace: a random bench customer, a random mailing, sent during the
    # two years of orders; 40 % opened within two days, 30 % of those clicked.
    cr.execute(
        """
        WITH partners AS (
            SELECT array_agg(id ORDER BY id) AS ids FROM res_partner WHERE ref = 'bench'
        ), raw AS (
            SELECT p.ids[1 + floor(random() * array_length(p.ids, 1))::int] AS partner,
                   (%(mailings)s::int[])[1 + floor(random() * %(mailing_count)s)::int]
                       AS mailing,
                   now() - random() * interval '730 days' AS sent,
                   random() AS reaction
              FROM partners p, generate_series(1, %(traces)s)
        )
        INSERT INTO mailing_trace (trace_type, model, res_id, mass_mailing_id,
            trace_status, sent_datetime, open_datetime, links_click_datetime,
            create_date, write_date, create_uid, write_uid)
        SELECT 'mail', 'res.partner', raw.partner, raw.mailing,
               CASE WHEN raw.reaction < 0.4 THEN 'open' ELSE 'sent' END,
               raw.sent,
               CASE WHEN raw.reaction < 0.4
                    THEN raw.sent + raw.reaction * interval '5 days' END,
               CASE WHEN raw.reaction < 0.12
                    THEN raw.sent + raw.reaction * interval '20 days' END,
               now(), now(), %(uid)s, %(uid)s
          FROM raw
        """,
        {
            "mailings": mailings.ids,
            "mailing_count": len(mailings),
            "traces": traces,
            "uid": env.uid,
        },
    )
    rng = random.Random(7)
    cr.execute("SELECT id FROM sale_order WHERE name LIKE 'BENCH/%%' ORDER BY id")
    order_ids = [row[0] for row in cr.fetchall()]
    promoted = rng.sample(order_ids, len(order_ids) // 10)
    cr.execute(
        """UPDATE sale_order so SET mkt_promotion_id = (%s::int[])[1 + so.id %% %s]
            WHERE so.id = ANY(%s)""",
        [promotions.ids, len(promotions), promoted],
    )
    linked = rng.sample(order_ids, len(order_ids) // 50)
    cr.execute(
        """UPDATE sale_order so SET source_id = (%s::int[])[1 + so.id %% %s]
            WHERE so.id = ANY(%s)""",
        [mailings.source_id.ids, len(mailings), linked],
    )
    env.invalidate_all()
    return mailings, promotions


def read_report(env):
    report_model = env["mkt.performance.report"]
    rows = report_model.search_read(
        [],
        [
            "touch_kind",
            "name",
            "recipients",
            "opened",
            "clicked",
            "buyers",
            "click_buyers",
            "orders",
            "revenue",
            "order_value_min",
            "order_value_avg",
            "order_value_max",
            "clicked_bought_rate",
            "clickers_bought_rate",
            "revenue_per_recipient",
            "cost",
            "roi",
        ],
    )
    groups = report_model.read_group(
        [], ["recipients:sum", "revenue:sum", "cost:sum", "roi"], ["touch_kind"]
    )
    env.invalidate_all()
    return rows, groups


def measure_round(env, company, confirmed):
    """One round: the floor, the rebuild (batches, one batch), the report and
    its floor; each side run once before to warm the caches."""
    for _run in range(2):
        env.cr.execute("DROP TABLE IF EXISTS floor_attribution")
        with Timer() as floor:
            env.cr.execute(FLOOR_ATTRIBUTION_SQL)
        env.cr.commit()
    attribution = env["mkt.attribution"]
    # The first build: every row is written (after installing, or after the
    # settings changed). The nightly rebuild below finds the rows in place
    # and writes only those that changed (here: none).
    env.cr.execute("DELETE FROM mkt_attribution")
    env.cr.commit()
    with Timer() as first_build:
        attribution._schedule_rebuild(company, trigger=False)
        env.cr.commit()
        attribution._cron_rebuild()
    with Timer() as rebuild:
        attribution._schedule_rebuild(company, trigger=False)
        env.cr.commit()
        attribution._cron_rebuild()
    # The same in one batch: what the batches and commits cost.
    with Timer() as one_batch:
        attribution._schedule_rebuild(company, trigger=False)
        env.cr.commit()
        attribution._cron_rebuild(batch_size=confirmed)
    env.cr.execute(FLOOR_REPORT_SQL)
    with Timer() as report_floor:
        env.cr.execute(FLOOR_REPORT_SQL)
        env.cr.fetchall()
        env.cr.execute(FLOOR_REPORT_GROUPED_SQL)
        env.cr.fetchall()
    read_report(env)
    with Timer() as report_read:
        read_report(env)
    return (
        floor.seconds,
        rebuild.seconds,
        one_batch.seconds,
        report_floor.seconds,
        report_read.seconds,
        first_build.seconds,
    )


def spread(ratios):
    """Median of the per-round ratios, with their range and each of them."""
    each = ", ".join(f"{ratio:.2f}" for ratio in ratios)
    return (
        f"{statistics.median(ratios):.2f} median, {min(ratios):.2f}-"
        f"{max(ratios):.2f} over the rounds ({each})"
    )


def has_bench_data(env):
    env.cr.execute(
        "SELECT 1 FROM mailing_mailing WHERE subject = 'Bench newsletter 0' LIMIT 1"
    )
    return bool(env.cr.rowcount)


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=2, help="orders per customer")
    parser.add_argument("--lines", type=int, default=5, help="lines per order")
    parser.add_argument("--traces", type=int, default=1_000_000)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure on the data already in the database (sizes are ignored)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure this many times; the ratios are taken within each round "
        "and reported as median and range over the rounds",
    )
    args = parser.parse_args()
    with bench_env(args.database) as env:
        env = env(context={"tracking_disable": True})
        with Timer() as generation:
            if not (args.reuse and has_bench_data(env)):
                generate(env, args.partners, args.orders, args.lines)
                generate_marketing(env, args.traces)
            env.cr.commit()
        env.cr.execute("ANALYZE")
        env.cr.execute("SET jit = off")
        company = env.company
        company.write(
            {
                "mkt_attribution_rule": "last",
                "mkt_attribution_mail_event": "clicked",
                "mkt_attribution_window_days": 30,
            }
        )
        env.cr.execute(
            """SELECT (SELECT count(*) FROM res_partner WHERE ref = 'bench'),
                      (SELECT count(*) FROM sale_order WHERE state = 'sale'),
                      (SELECT count(*) FROM mailing_trace),
                      (SELECT count(*) FROM account_move
                        WHERE move_type = 'out_refund')"""
        )
        partners, confirmed, traces, credit_notes = env.cr.fetchone()
        env.cr.commit()

        rounds = [measure_round(env, company, confirmed) for _ in range(args.rounds)]
        # Medians of the rounds; each ratio is taken within its round (both
        # sides under the same load of a shared machine), then its median and
        # range over the rounds.
        floor, rebuild, one_batch, report_floor, report_read, first_build = (
            statistics.median(times) for times in zip(*rounds, strict=True)
        )
        first_build_ratio = spread([r[5] / r[0] for r in rounds])
        rebuild_ratio = spread([r[1] / r[0] for r in rounds])
        one_batch_ratio = spread([r[2] / r[0] for r in rounds])
        report_ratio = spread([r[4] / r[3] for r in rounds])
        env.cr.execute("SELECT count(*), sum(value) FROM floor_attribution")
        floor_rows, floor_revenue = env.cr.fetchone()
        env.cr.execute("SELECT count(*), sum(revenue) FROM mkt_attribution")
        rows, revenue = env.cr.fetchone()
        env.cr.execute(
            """SELECT count(*) FROM floor_attribution f
                FULL JOIN mkt_attribution a ON a.order_id = f.order_id
                 AND a.touch_kind = f.kind
                 AND f.ref = COALESCE(a.mailing_id, a.promotion_id)
               WHERE a.id IS NULL OR f.order_id IS NULL"""
        )
        mismatches = env.cr.fetchone()[0]
        report_rows = len(read_report(env)[0])

    report(
        f"attribution and performance report, {confirmed:,} orders, "
        f"{traces:,} mail traces",
        [
            ("data", f"{partners:,} customers, {confirmed:,} orders, "
                     f"{credit_notes:,} credit notes, {traces:,} traces of "
                     f"{MAILINGS} mailings, {PROMOTIONS} promotions"),
            ("generated in", f"{generation.seconds:.1f} s"),
            ("rounds (median time of each)", f"{args.rounds}"),
            ("floor: attribution in one SQL statement",
             f"{floor:.2f} s, {floor_rows:,} rows, {floor_revenue:,.2f} EUR"),
            ("first build, empty table (cron: batches + commits)",
             f"{first_build:.2f} s, ratio {first_build_ratio}"),
            ("rebuild (cron: batches + commits)",
             f"{rebuild:.2f} s, {rows:,} rows, {revenue:,.2f} EUR"),
            ("rebuild in one batch", f"{one_batch:.2f} s, ratio {one_batch_ratio}"),
            ("rows differing from the floor", f"{mismatches:,} (goal 0)"),
            ("ratio rebuild / floor", f"{rebuild_ratio} (goal <= 2)"),
            ("floor: report rows + totals in SQL", f"{report_floor:.3f} s"),
            ("report read (all rows + grouped by kind)",
             f"{report_read:.3f} s, {report_rows:,} rows (goal < 2 s)"),
            ("ratio report / floor", f"{report_ratio} (goal <= 2)"),
            ("peak memory", f"{peak_memory_mib():.0f} MiB"),
        ],
    )  # fmt: skip


if __name__ == "__main__":
    main()
