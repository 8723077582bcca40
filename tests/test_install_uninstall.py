"""Each add-on installs alone (with its dependencies) and uninstalls cleanly.

Each case works on a scratch database copied from the template that ./mkt test
prepared (Odoo's own modules, no demo data), with odoo-bin in a subprocess: a
module cannot be installed or removed inside the running test registry.
"""

import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

import odoo
from odoo.sql_db import db_connect

from .suite import SUITE

ROOT = Path(__file__).resolve().parents[1]


def _template():
    template = os.environ.get("MKT_TEMPLATE_DB")
    assert template, "MKT_TEMPLATE_DB is not set: run the tests with ./mkt test"
    return template


def _sql(dbname, query, params=None):
    with closing(db_connect(dbname).cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(query, params)
        return cr.fetchall() if cr.description else None


def _odoo(dbname, *args, command="server", stdin=None):
    odoo_bin = Path(os.environ["ODOO_SRC"]) / "odoo-bin"
    command = [sys.executable, str(odoo_bin), command, "-c", str(ROOT / "odoo.conf")]
    command += ["-d", dbname, *args]
    result = subprocess.run(
        command, input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=1200
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    errors = [
        line
        for line in result.stderr.splitlines()
        if " ERROR " in line or " CRITICAL " in line
    ]
    assert not errors, "\n".join(errors)
    return result


@pytest.fixture
def scratch_db(request):
    # Named after the test database: engineers sharing a PostgreSQL cluster
    # each get their own scratch databases.
    dbname = f"{odoo.tools.config['db_name']}_scratch_{request.node.callspec.id}"
    _sql("postgres", f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    _sql("postgres", f'CREATE DATABASE "{dbname}" TEMPLATE "{_template()}"')
    yield dbname
    odoo.sql_db.close_db(dbname)
    _sql("postgres", f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def _states(dbname):
    return dict(
        _sql(
            dbname,
            "SELECT name, state FROM ir_module_module WHERE name = ANY(%s)",
            [list(SUITE)],
        )
    )


@pytest.mark.parametrize("module", SUITE)
def test_installs_alone_and_uninstalls(scratch_db, module):
    _odoo(scratch_db, "-i", module, "--without-demo=all", "--stop-after-init")
    assert _states(scratch_db)[module] == "installed"
    suite_models = _sql(
        scratch_db,
        "SELECT count(*) FROM ir_model_data WHERE module = %s AND model = 'ir.model'",
        [module],
    )[0][0]

    _odoo(
        scratch_db,
        command="shell",
        stdin=(
            f"env['ir.module.module'].search([('name', '=', {module!r})])"
            ".button_immediate_uninstall()\nenv.cr.commit()\n"
        ),
    )
    assert _states(scratch_db)[module] == "uninstalled"
    leftovers = _sql(
        scratch_db, "SELECT model, name FROM ir_model_data WHERE module = %s", [module]
    )
    assert leftovers == [], f"{module} left records behind: {leftovers}"
    if module == "mkt_scoring":
        assert suite_models > 0
        assert (
            _sql(scratch_db, "SELECT to_regclass('mkt_customer_class')")[0][0] is None
        )
