"""Suite-level checks of mkt_promotions_purchase, the add-on that installs
itself when both mkt_promotions and purchase are installed: it follows
mkt_promotions into a database with purchase and uninstalls cleanly, and Odoo
shows its German. Completeness of the translation, placeholders and access
rules are checked with the suite's other add-ons (tests/suite.py)."""

import pytest

from odoo.tests import TransactionCase, tagged

from .test_install_uninstall import _odoo, _sql, scratch_db  # noqa: F401

MODULE = "mkt_promotions_purchase"


def _state(dbname, module):
    rows = _sql(dbname, "SELECT state FROM ir_module_module WHERE name = %s", [module])
    return rows[0][0] if rows else None


@pytest.mark.parametrize("start", ["mkt_promotions"], ids=["promotions_purchase"])
def test_follows_promotions_when_purchase_is_installed(scratch_db, start):  # noqa: F811
    # The template holds Odoo's modules, purchase among them.
    assert _state(scratch_db, "purchase") == "installed"
    _odoo(scratch_db, "-i", start, "--without-demo=all", "--stop-after-init")
    assert _state(scratch_db, MODULE) == "installed"

    _odoo(
        scratch_db,
        command="shell",
        stdin=(
            f"env['ir.module.module'].search([('name', '=', {MODULE!r})])"
            ".button_immediate_uninstall()\nenv.cr.commit()\n"
        ),
    )
    assert _state(scratch_db, MODULE) == "uninstalled"
    assert _state(scratch_db, "mkt_promotions") == "installed"
    leftovers = _sql(
        scratch_db, "SELECT model, name FROM ir_model_data WHERE module = %s", [MODULE]
    )
    assert leftovers == [], f"{MODULE} left records behind: {leftovers}"
    columns = _sql(
        scratch_db,
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE column_name IN ('mkt_promotion_id', 'purchase_proposal_date')"
        " AND table_name IN ('purchase_order', 'mkt_promotion')",
    )
    assert columns == [], f"{MODULE} left columns behind: {columns}"


@tagged("post_install", "-at_install", "mkt")
class TestPromotionsPurchaseSuite(TransactionCase):
    def test_german_used_by_odoo(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(
            [MODULE], ["de_DE"], overwrite=True
        )
        self.env.registry.clear_cache()
        env = self.env(context=dict(self.env.context, lang="de_DE"))
        label = (
            env["mkt.purchase.proposal.line"]
            ._fields["planned_qty"]
            ._description_string(env)
        )
        assert label == "Planmenge", label
