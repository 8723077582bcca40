"""Suite-wide pytest settings.

A skipped test counts as a failure: Odoo skips browser tours silently when
Chromium or websocket-client is missing, and a skipped tour proves nothing.
"""

import pytest


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == pytest.ExitCode.OK:
        reporter.write_line(
            f"{len(skipped)} test(s) skipped: the suite allows no skipped test "
            "(a skipped browser tour means Chromium or websocket-client is missing).",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
