"""Throughput of the bulk data generator that every other benchmark uses.

./mkt bench datagen --partners 100000 --orders 2 --lines 5
"""

from common import Timer, argument_parser, bench_env, peak_memory_mib, report
from datagen import generate


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--partners", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=2, help="orders per partner")
    parser.add_argument("--lines", type=int, default=5, help="lines per order")
    args = parser.parse_args()
    with bench_env(args.database) as env, Timer() as timer:
        summary = generate(env, args.partners, args.orders, args.lines)
        env.cr.commit()
    rows = (
        summary.partners
        + summary.orders
        + summary.order_lines
        + 3 * (summary.invoices + summary.credit_notes)  # move + 2 lines each
    )
    report(
        "bulk data generator",
        [
            ("partners", f"{summary.partners:,}"),
            ("orders / lines", f"{summary.orders:,} / {summary.order_lines:,}"),
            (
                "invoices / credit notes",
                f"{summary.invoices:,} / {summary.credit_notes:,}",
            ),
            ("time", f"{timer.seconds:.1f} s"),
            ("rows per second", f"{rows / timer.seconds:,.0f}"),
            ("peak memory", f"{peak_memory_mib():.0f} MiB"),
        ],
    )


if __name__ == "__main__":
    main()
