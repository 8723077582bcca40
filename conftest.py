"""Suite-wide pytest settings.

A skipped test counts as a failure: Odoo skips browser tours silently when
Chromium or websocket-client is missing, and a skipped tour proves nothing.
"""

import pytest


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.write_line(
            f"FAILED: {len(skipped)} test(s) skipped. The suite allows no skipped "
            "test (a skipped browser tour means Chromium or websocket-client is "
            "missing).",
            red=True,
        )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter and reporter.stats.get("skipped") and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
