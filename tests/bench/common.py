"""What every benchmark of the suite shares: an Odoo environment on the bench
database, a timer, and the report format (time, ratio to the floor, memory).

Run a benchmark through ./mkt, which creates a fresh bench database first::

    ./mkt bench datagen --partners 100000 --orders 2
"""

import argparse
import contextlib
import os
import resource
import time
from pathlib import Path

import odoo
from odoo import SUPERUSER_ID, api

ROOT = Path(__file__).resolve().parents[2]

# Read the configuration on import: it sets the addons path, which the
# benchmarks need to import odoo.addons.* (datagen, the suite's code).
odoo.tools.config.parse_config(["-c", str(ROOT / "odoo.conf")])


def argument_parser(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--database",
        default=os.environ.get("MKT_BENCH_DB", "mkt_bench"),
        help="database to fill and measure (./mkt bench creates it fresh)",
    )
    return parser


@contextlib.contextmanager
def bench_env(database):
    """An environment on ``database``; the work is committed (benchmarks build
    on their own data, and the database is thrown away afterwards)."""
    odoo.tools.config["db_name"] = database
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})


class Timer:
    """``with Timer() as t: ...`` then ``t.seconds``."""

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def peak_memory_mib():
    """Peak resident memory of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(title, rows):
    """Print a benchmark result: rows of (label, value) pairs, aligned."""
    print(f"\n== {title}")
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        print(f"   {label.ljust(width)}  {value}")
