"""Issuing personal voucher codes with an adaptive discount, against the same
codes issued without one (the peer: what a newsletter's codes cost already).

    ./mkt bench voucher --partners 20000 --orders 2

Steps, in one run on a fresh database:

1. N customers with M confirmed orders each (the shared generator), scored by
   mkt_scoring (class and trend of each customer).
2. Two coupon programs with a 10 % reward: a plain one, and one with a table of
   five rules (trend growing 0 %, lapsed 25 %, declining 20 %, 180 days since
   the last order 15 %, top class 5 %) that needs class, trend, days since and
   value of the last order of every customer.
3. Both issue one code to every customer, in batches of ``--batch`` customers
   (a mass mailing renders and issues codes batch by batch), alternating in
   ``--rounds`` rounds, each round with new programs (deleting 20,000 codes
   would check every order line that could refer to them); the best time of
   each side counts. Goal: the adaptive codes cost at most 1.5 times the plain ones,
   with the same number of queries per batch whatever the batch size.
"""

from common import Timer, argument_parser, bench_env, peak_memory_mib, report
from datagen import generate

from odoo.fields import Command


def program_values(name, rules=()):
    return {
        "name": name,
        "program_type": "coupons",
        "reward_ids": [
            Command.create(
                {
                    "reward_type": "discount",
                    "discount": 10,
                    "discount_mode": "percent",
                    "discount_applicability": "order",
                    "required_points": 1,
                }
            )
        ],
        "mkt_discount_rule_ids": [Command.create(rule) for rule in rules],
    }


def issue_all(env, program, partner_ids, batch):
    source = env.ref("utm.utm_source_newsletter")
    Partner = env["res.partner"]
    with Timer() as timer:
        for start in range(0, len(partner_ids), batch):
            program._mkt_issue_codes(
                Partner.browse(partner_ids[start : start + batch]), source
            )
            env.cr.commit()
            env.invalidate_all()
    return timer.seconds


def queries_per_batch(env, program, partner_ids):
    before = env.cr.sql_log_count
    program._mkt_issue_codes(
        env["res.partner"].browse(partner_ids), env.ref("utm.utm_source_newsletter")
    )
    env.flush_all()
    count = env.cr.sql_log_count - before
    env.cr.rollback()
    env.invalidate_all()
    return count


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--partners", type=int, default=20_000)
    parser.add_argument("--orders", type=int, default=2)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with bench_env(args.database) as env:
        with Timer() as generation:
            summary = generate(env, args.partners, args.orders, 2)
            env.cr.commit()
            env["mkt.score.engine"]._score_partners(summary.partner_ids, env.company)
            env.cr.commit()
        env.cr.execute("ANALYZE")
        ids = summary.partner_ids
        top_class = env["mkt.customer.class"].search(
            [("company_id", "=", env.company.id)], order="min_score desc", limit=1
        )
        rules = [
            {"condition": "trend", "trend": "growing", "discount_percent": 0},
            {"condition": "trend", "trend": "lapsed", "discount_percent": 25},
            {"condition": "trend", "trend": "declining", "discount_percent": 20},
            {
                "condition": "days_since_order",
                "value_from": 180,
                "discount_percent": 15,
            },
            {
                "condition": "customer_class",
                "class_id": top_class.id,
                "discount_percent": 5,
            },
        ]
        Program = env["loyalty.program"]
        plain_times, adaptive_times = [], []
        for number in range(args.rounds):
            plain = Program.create(program_values(f"Bench plain {number}"))
            adaptive = Program.create(program_values(f"Bench adaptive {number}", rules))
            env.cr.commit()
            plain_times.append(issue_all(env, plain, ids, args.batch))
            adaptive_times.append(issue_all(env, adaptive, ids, args.batch))
        distribution = dict(
            env["loyalty.card"]._read_group(
                [("program_id", "=", adaptive.id)],
                ["mkt_discount_percent"],
                ["__count"],
            )
        )
        issued = sum(distribution.values())
        plain = Program.create(program_values("Bench plain, queries"))
        adaptive = Program.create(program_values("Bench adaptive, queries", rules))
        env.cr.commit()

        small = queries_per_batch(env, adaptive, ids[:100])
        large = queries_per_batch(env, adaptive, ids[100:1100])
        plain_small = queries_per_batch(env, plain, ids[:100])
        best_plain, best_adaptive = min(plain_times), min(adaptive_times)
        ratio = best_adaptive / best_plain
        report(
            f"Adaptive voucher codes: {summary.partners:,} customers, "
            f"{summary.orders:,} orders, batches of {args.batch:,}",
            [
                ("data generation and scoring", f"{generation.seconds:.1f} s"),
                ("plain codes (peer), best", f"{best_plain:.2f} s"),
                ("adaptive codes, best", f"{best_adaptive:.2f} s"),
                (
                    "all rounds (plain / adaptive)",
                    " ".join(
                        f"{p:.2f}/{a:.2f}"
                        for p, a in zip(plain_times, adaptive_times, strict=True)
                    ),
                ),
                ("adaptive codes per second", f"{issued / best_adaptive:,.0f}"),
                ("ratio adaptive / plain", f"{ratio:.2f} (goal <= 1.5)"),
                (
                    "codes per discount",
                    ", ".join(
                        f"{percent:g} %: {count:,}"
                        for percent, count in sorted(distribution.items())
                    )
                    + f" (growing customers: no code, {len(ids) - issued:,})",
                ),
                (
                    "queries per batch of 100 / 1,000 (plain 100)",
                    f"{small} / {large} ({plain_small})",
                ),
                ("peak memory", f"{peak_memory_mib():.0f} MiB"),
                ("goal met", "yes" if ratio <= 1.5 else "NO"),
            ],
        )


if __name__ == "__main__":
    main()
