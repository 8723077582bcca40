"""Refreshing every customer's product recommendations against the floor: the
bare co-occurrence SQL (which products were bought together by how many
customers in the period) alone.

    ./mkt bench recommendations --partners 100000 --orders 2 --lines 5

The refresh is the nightly cron: the company's affinities rebuilt (the floor's
statement, written to a table), then every customer's candidates of the four
reasons gathered, filtered, ranked and the best N written, in batches of
10,000 customers, each committed. The floor runs the co-occurrence statement
once and writes nothing; the ratio says what the rest of the refresh costs on
top of the one aggregate it cannot do without.

``--reuse`` measures again on the data of an earlier run (recommendations
cleared), ``--rounds N`` measures N times and reports the best times.
"""

from common import Timer, argument_parser, bench_env, peak_memory_mib, report
from datagen import generate

from odoo import fields
from odoo.tools import SQL


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=2, help="orders per customer")
    parser.add_argument("--lines", type=int, default=5, help="lines per order")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    with bench_env(args.database) as env:
        with Timer() as generation:
            env.cr.execute("SELECT 1 FROM res_partner WHERE ref = 'bench' LIMIT 1")
            if not (args.reuse and env.cr.rowcount):
                generate(env, args.partners, args.orders, args.lines)
            env.cr.commit()
        env.cr.execute("ANALYZE")
        env.cr.execute(
            """SELECT (SELECT count(*) FROM res_partner WHERE ref = 'bench'),
                      (SELECT count(*) FROM sale_order_line)"""
        )
        partners, lines = env.cr.fetchone()
        company = env.company
        engine = env["mkt.recommendation.engine"]
        today = fields.Date.context_today(engine)
        floor_sql = SQL(
            "SELECT count(*), sum(support), sum(confidence) FROM (%s) AS pairs",
            engine._affinity_sql(company, engine._since(company, today)),
        )
        results = []
        for number in range(args.rounds):
            clear(env)
            env.cr.execute(floor_sql)  # warm caches for both sides
            with Timer() as floor:
                env.cr.execute(floor_sql)
                pairs = env.cr.fetchone()[0]
            env.cr.commit()
            with Timer() as refresh:
                engine._cron_refresh_recommendations()
            with Timer() as again:
                engine._cron_refresh_recommendations()
            results.append((floor.seconds, refresh.seconds, again.seconds))
            print(f"round {number + 1}: floor {floor.seconds:.2f} s, refresh "
                  f"{refresh.seconds:.2f} s, second run {again.seconds:.3f} s")  # fmt: skip
        floor, refresh, again = (min(times) for times in zip(*results, strict=True))
        env.cr.execute(
            """SELECT count(*), count(DISTINCT partner_id),
                      count(*) FILTER (WHERE reason = 'bought_together')
                 FROM mkt_recommendation"""
        )
        rows, customers, together = env.cr.fetchone()
    report(
        f"product recommendations, {partners:,} customers",
        [
            ("data", f"{lines:,} order lines, {pairs:,} product pairs"),
            ("generated in", f"{generation.seconds:.1f} s"),
            ("rounds (best time of each)", f"{args.rounds}"),
            ("floor (bare co-occurrence SQL)", f"{floor:.2f} s"),
            ("refresh (cron, batches of 10,000)",
             f"{refresh:.2f} s, {rows:,} recommendations for {customers:,} "
             f"customers ({together:,} bought together)"),
            ("second run the same day", f"{again:.3f} s (nothing to do)"),
            ("ratio refresh / floor", f"{refresh / floor:.2f}"),
            ("peak memory", f"{peak_memory_mib():.0f} MiB"),
        ],
    )  # fmt: skip


def clear(env):
    env.cr.execute(
        """TRUNCATE mkt_recommendation, mkt_recommendation_affinity,
                    mkt_recommendation_run"""
    )
    env.cr.commit()
    env.invalidate_all()


if __name__ == "__main__":
    main()
