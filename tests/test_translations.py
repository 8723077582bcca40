import os
import re

import polib

from odoo.exceptions import ValidationError
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

from .suite import SUITE

# Named and positional printf placeholders and str.format fields; "%%" is a
# literal percent sign, and "% of" in prose is no placeholder.
PLACEHOLDER = re.compile(r"%%|%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{\w*\}")


def placeholders(text):
    return sorted(match for match in PLACEHOLDER.findall(text) if match != "%%")


@tagged("post_install", "-at_install", "mkt")
class TestTranslations(TransactionCase):
    """Every add-on ships a complete German translation that Odoo uses."""

    def _po_files(self, module):
        i18n = os.path.join(get_module_path(module), "i18n")
        return os.path.join(i18n, f"{module}.pot"), os.path.join(i18n, "de.po")

    def test_german_po_is_complete(self):
        for module in SUITE:
            pot_path, po_path = self._po_files(module)
            assert os.path.isfile(pot_path), f"{module}: no i18n/{module}.pot"
            assert os.path.isfile(po_path), f"{module}: no i18n/de.po"
            translated = {
                entry.msgid: entry.msgstr
                for entry in polib.pofile(po_path)
                if not entry.obsolete
            }
            for entry in polib.pofile(pot_path):
                assert entry.msgid in translated, (
                    f"{module}: {entry.msgid!r} is missing from de.po"
                )
                assert translated[entry.msgid].strip(), (
                    f"{module}: {entry.msgid!r} has an empty translation"
                )

    def test_german_keeps_placeholders(self):
        for module in SUITE:
            _pot_path, po_path = self._po_files(module)
            if not os.path.isfile(po_path):
                continue  # reported by test_german_po_is_complete
            for entry in polib.pofile(po_path):
                if not entry.msgstr:
                    continue
                assert placeholders(entry.msgstr) == placeholders(entry.msgid), (
                    f"{module}: placeholders of {entry.msgid!r} changed in "
                    f"{entry.msgstr!r}"
                )

    def test_placeholder_pattern(self):
        assert placeholders("%(count)s of %s: %d, {name} {} 100%% % of") == sorted(
            ["%(count)s", "%s", "%d", "{name}", "{}"]
        )

    def test_german_used_by_odoo(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(
            ["mkt_scoring"], ["de_DE"], overwrite=True
        )
        self.env.registry.clear_cache()
        env = self.env(context=dict(self.env.context, lang="de_DE"))

        label = env["res.partner"]._fields["mkt_score"]._description_string(env)
        assert label == "Qualitätspunktzahl", label
        menu = env.ref("mkt_scoring.mkt_customer_class_menu")
        assert menu.name == "Kundenklassen", menu.name

        criterion = env["mkt.score.criterion"].create(
            {"name": "Bestellhäufigkeit", "metric": "order_count"}
        )
        with self.assertRaises(ValidationError) as caught:
            env["mkt.score.band"].create(
                {
                    "criterion_id": criterion.id,
                    "value_from": 10,
                    "value_to": 5,
                    "points": 1,
                }
            )
        message = caught.exception.args[0]
        assert "Obergrenze muss über seiner Untergrenze" in message, message
        assert "Bestellhäufigkeit" in message, message
