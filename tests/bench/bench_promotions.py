"""Applying a promotion code against Odoo's own promotion programs.

    ./mkt bench promotions --actions 200 --lines 50 --repeat 5

A 50-line order and 200 running promotion actions, each with a special price,
an order discount from a minimum value, a gift tier, "take 3 pay 2" and a
payment pause. Measured: typing one action's reference on the order (resolving
the code and applying its benefits). The peer: Odoo's sale_loyalty with 200
automatic promotion programs of the same kinds (order discount from a minimum
amount, a free product from a minimum amount, buy 3 get 1), brought up to date
on the same order by ``_update_programs_and_rewards``. Goal: at most 0.5 x the
peer's time, and a number of queries that does not grow with the actions.
"""

import statistics

from common import Timer, argument_parser, bench_env, report

from odoo import Command, fields


def build_catalog(env, line_count):
    tax = env["account.tax"].create({"name": "Bench VAT 7 %", "amount": 7})
    return env["product.product"].create(
        [
            {
                "name": f"Bench article {number}",
                "list_price": 5.0 + number % 17,
                "type": "consu",
                "taxes_id": [Command.set(tax.ids)],
            }
            for number in range(line_count)
        ]
    )


def build_actions(env, count, products, start=0):
    today = fields.Date.context_today(env.user)
    return env["mkt.promotion"].create(
        [
            {
                "name": f"Bench action {number}",
                "code": f"A{number:04d}",
                "prefix": f"A{number:04d}-",
                "state": "running",
                "date_start": today,
                "date_end": today,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": products[number % len(products)].id,
                            "fixed_price": 3.0,
                        }
                    )
                ],
                "benefit_ids": [
                    Command.create(
                        {
                            "benefit_type": "order_discount",
                            "discount_value": 5,
                            "min_order_value": 50,
                        }
                    ),
                    Command.create(
                        {
                            "benefit_type": "gift",
                            "gift_tier_ids": [
                                Command.create(
                                    {"threshold": 50, "product_id": products[-1].id}
                                )
                            ],
                        }
                    ),
                    Command.create(
                        {
                            "benefit_type": "buy_n_pay_m",
                            "buy_quantity": 3,
                            "pay_quantity": 2,
                            "product_ids": [Command.set(products[:3].ids)],
                        }
                    ),
                    Command.create(
                        {
                            "benefit_type": "payment_term",
                            "payment_action": "pause",
                            "payment_days": 60,
                        }
                    ),
                ],
            }
            for number in range(start, start + count)
        ]
    )


def build_loyalty_programs(env, count, products):
    """Automatic promotions of the kinds the actions grant."""
    programs = []
    for number in range(count):
        kind = number % 3
        if kind == 0:
            rule = {"minimum_amount": 50}
            reward = {
                "reward_type": "discount",
                "discount": 5,
                "discount_mode": "percent",
            }
        elif kind == 1:
            rule = {"minimum_amount": 50}
            reward = {"reward_type": "product", "reward_product_id": products[-1].id}
        else:
            rule = {"minimum_qty": 3, "product_ids": [Command.set(products[:3].ids)]}
            reward = {"reward_type": "product", "reward_product_id": products[0].id}
        programs.append(
            {
                "name": f"Bench program {number}",
                "program_type": "promotion",
                "trigger": "auto",
                "applies_on": "current",
                "rule_ids": [Command.create(rule)],
                "reward_ids": [Command.create(reward)],
            }
        )
    return env["loyalty.program"].create(programs)


def new_order(env, partner, products):
    return env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": 2})
                for product in products
            ],
        }
    )


def measure(env, repeat, prepare, run):
    """Median seconds and query count of ``run(order)`` on fresh orders."""
    times, queries = [], []
    for _ in range(repeat):
        order = prepare()
        env.flush_all()
        env.invalidate_all()
        before = env.cr.sql_log_count
        with Timer() as timer:
            run(order)
            env.flush_all()
        times.append(timer.seconds)
        queries.append(env.cr.sql_log_count - before)
    return statistics.median(times), statistics.median(queries)


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--lines", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with bench_env(args.database) as env:
        products = build_catalog(env, args.lines)
        partner = env["res.partner"].create({"name": "Bench customer"})
        code = "A0100-0815"

        build_actions(env, 10, products)
        ours_10 = measure(
            env,
            args.repeat,
            lambda: new_order(env, partner, products),
            lambda order: setattr(order, "mkt_promotion_code", "A0005-0815"),
        )
        build_actions(env, args.actions - 10, products, start=10)
        ours = measure(
            env,
            args.repeat,
            lambda: new_order(env, partner, products),
            lambda order: setattr(order, "mkt_promotion_code", code),
        )
        sample = new_order(env, partner, products)
        sample.mkt_promotion_code = code
        benefit_lines = len(sample.order_line.filtered("mkt_benefit_id"))

        build_loyalty_programs(env, args.actions, products)
        odoo = measure(
            env,
            args.repeat,
            lambda: new_order(env, partner, products),
            lambda order: order._update_programs_and_rewards(),
        )
        env.cr.rollback()  # the bench database is thrown away anyway

    report(
        f"Promotion code on a {args.lines}-line order, {args.actions} running actions",
        [
            (
                "resolve + apply (ours)",
                f"{ours[0] * 1000:.1f} ms, {ours[1]:.0f} queries",
            ),
            (
                "  with 10 running actions",
                f"{ours_10[0] * 1000:.1f} ms, {ours_10[1]:.0f} queries",
            ),
            ("  benefit lines added", benefit_lines),
            (
                f"sale_loyalty, {args.actions} programs",
                f"{odoo[0] * 1000:.1f} ms, {odoo[1]:.0f} queries",
            ),
            ("ratio ours / Odoo (goal <= 0.5)", f"{ours[0] / odoo[0]:.2f}"),
            (
                "queries 200 vs 10 actions (goal: equal)",
                f"{ours[1]:.0f} vs {ours_10[1]:.0f}",
            ),
        ],
    )


if __name__ == "__main__":
    main()
