"""The suite seen in German: what a German user or customer reads contains no
English source string of the suite.

The English side is every msgid of the suite's .pot files whose German differs
(identical terms such as "Newsletter" or "ROI" are the same in both). Each is
searched in what Odoo renders in German: the views of the suite's models, its
field labels, menus, actions and data records, the refusals of a promotion code
at order entry, the campaign letter, the voucher code sheet and the double
opt-in mails.
"""

import os
import re
from datetime import timedelta

import polib
from freezegun import freeze_time
from lxml import etree, html

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.modules.module import get_module_path
from odoo.tests import tagged
from odoo.tools.translate import TranslationModuleReader, html_translate

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.mkt_scoring.tests.common import MktCommon

from .suite import SUITE

# What stands for a value in a source string: printf and format placeholders,
# and the inline elements (t-out, t-field ...) of a QWeb term.
VARIABLE = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{\w*\}|<[^>]*>"
)
# Attributes of views and templates that users read.
READABLE_ATTRIBUTES = ("string", "help", "placeholder", "title", "alt", "aria-label")
# Shorter terms are too often part of other words or codes to be searched.
MIN_LETTERS = 4


class EnglishTerm:
    """A source string of the suite and how to find it in rendered text."""

    def __init__(self, module, msgid):
        self.module = module
        self.msgid = msgid
        literal = VARIABLE.sub(" ", msgid)
        words = re.findall(r"\b[^\W\d_]{2,}\b", literal)
        self.letters = sum(len(re.findall(r"[A-Za-z]", word)) for word in words)
        # One word alone ("Points", "from %(amount)s") must be all of a text to
        # count: inside a German sentence it may be a name, a code or German.
        self.words = len(words)
        self.single_word = len(words) == 1
        # A placeholder stands for at least one character, an inline element
        # (t-out, t-field) for its content or nothing.
        body = ""
        for index, part in enumerate(re.split(f"({VARIABLE.pattern})", msgid)):
            if index % 2:
                body += r".{0,120}?" if part.startswith("<") else r".{1,120}?"
            elif part.strip():
                body += (
                    (r"\s*" if part[0].isspace() else "")
                    + r"\s+".join(re.escape(word) for word in part.split())
                    + (r"\s*" if part[-1].isspace() else "")
                )
            elif part:
                body += r"\s*"
        # A word that must be in a text for the pattern to be worth trying.
        self.anchor = max(literal.split(), key=len, default="")
        self.pattern = re.compile(
            rf"^\W*{body}\W*$" if self.single_word else rf"(?<!\w){body}(?!\w)"
        )


def html_terms(markup):
    """The translatable texts of a body, as Odoo would cut it for translation."""
    texts = set()
    if markup:
        html_translate(lambda text: texts.add(text) or text, markup)
    return texts


def english_terms():
    terms = []
    for module in SUITE:
        i18n = os.path.join(get_module_path(module), "i18n")
        german = {
            entry.msgid: entry.msgstr
            for entry in polib.pofile(os.path.join(i18n, "de.po"))
            if not entry.obsolete
        }
        for entry in polib.pofile(os.path.join(i18n, f"{module}.pot")):
            translation = german.get(entry.msgid) or ""
            if translation.strip() == entry.msgid.strip():
                continue  # the same in German, such as "Newsletter"
            sources = [entry.msgid]
            if entry.msgid.lstrip().startswith("<"):
                # A whole mail body is one term: search its sentences.
                sources = html_terms(entry.msgid) - html_terms(translation)
            for source in sources:
                term = EnglishTerm(module, source)
                if term.letters >= MIN_LETTERS:
                    terms.append(term)
    # Terms the German keeps as they are ("Lead" in "Lead erstellen") are no sign
    # of a missing translation.
    german_texts = [
        " ".join(entry.msgstr.split())
        for module in SUITE
        for entry in polib.pofile(
            os.path.join(get_module_path(module), "i18n", "de.po")
        )
    ]
    return [
        term
        for term in terms
        if not any(
            term.anchor in text and term.pattern.search(text) for text in german_texts
        )
    ]


def texts_of_markup(markup):
    """The texts of an XML or HTML document a reader sees: text nodes (alone,
    and joined per block) and readable attributes."""
    if not markup or not str(markup).strip():
        return []
    markup = str(markup)
    try:
        root = etree.fromstring(markup.encode())
    except etree.XMLSyntaxError:
        root = html.fromstring(markup)
    texts = []
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        for attribute in READABLE_ATTRIBUTES:
            if node.get(attribute):
                texts.append(node.get(attribute))
        for text in (node.text, node.tail):
            if text and text.strip():
                texts.append(text)
    texts.append(" ".join(" ".join(root.itertext()).split()))
    return texts


@tagged("post_install", "-at_install", "mkt")
class TestTranslationsRendering(MktCommon, MockEmail):
    """German users see German: every main screen, message, letter and mail of
    the suite, rendered in German, holds no English source string."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        # Odoo's own German too: the suite's screens mix both.
        modules = cls.env["ir.module.module"].search([("state", "=", "installed")])
        modules._load_module_terms(modules.mapped("name"), ["de_DE"], overwrite=True)
        cls.env.registry.clear_cache()
        cls.env.user.lang = "de_DE"
        cls.env = cls.env(context=dict(cls.env.context, lang="de_DE"))
        cls.terms = english_terms()

    def setUp(self):
        super().setUp()
        self.found = []

    # ------------------------------------------------------------------
    # Searching
    # ------------------------------------------------------------------

    def check(self, where, texts, ignore=()):
        """Record every English term found in ``texts`` (strings) as read in
        ``where``, but the msgids in ``ignore``."""
        for text in texts:
            if not text or not text.strip():
                continue
            text = " ".join(text.split())
            for term in self.terms:
                if term.anchor not in text or term.msgid in ignore:
                    continue
                match = term.pattern.search(text)
                if match:
                    start = max(match.start() - 40, 0)
                    self.found.append(
                        f"{term.msgid!r} ({term.module}) in {where}: "
                        f"…{text[start : match.end() + 40]}…"
                    )

    def assert_german(self):
        found = list(dict.fromkeys(self.found))
        self.assertFalse(
            found,
            f"{len(found)} English source strings in the German rendering:\n"
            + "\n".join(found),
        )

    # ------------------------------------------------------------------
    # The search itself
    # ------------------------------------------------------------------

    def test_the_search_finds_an_english_term(self):
        """A broken translation is found, and the message says what and where."""
        self.assertGreater(len(self.terms), 300, "the suite's terms are searched")
        self.check(
            "the probe",
            texts_of_markup(
                "<div><span>Punktzahl</span><p>Reply card: please return this letter "
                "with your answer, or quote your reference <b>4711</b>.</p>"
                '<button string="Compute Score"/></div>'
            ),
        )
        self.check("the probe's label", ["Customer Classes"])
        self.check("a word inside a German text", ["Kundenklassen: Score 12"])
        self.check("a German text", ["Kundenklassen", "Kundenqualität: A"])
        found = "\n".join(self.found)
        self.assertIn("'Compute Score' (mkt_scoring) in the probe", found)
        self.assertIn("'Customer Classes' (mkt_scoring) in the probe's label", found)
        self.assertNotIn("inside a German text", found)
        self.assertIn("Reply card: please return this letter", found)
        self.assertNotIn("German text", found)

    def test_pot_files_hold_every_source_string(self):
        """A string added to the code, a view or the data but not exported to
        the .pot would never be translated, and nothing here would see it."""
        missing = []
        for module in SUITE:
            pot = os.path.join(get_module_path(module), "i18n", f"{module}.pot")
            known = {entry.msgid for entry in polib.pofile(pot)}
            reader = TranslationModuleReader(self.env.cr, modules=[module])
            for row_module, _type, name, _res_id, source, *_rest in reader:
                if row_module == module and source not in known:
                    missing.append(f"{module}: {source!r} ({name})")
        self.assertFalse(
            missing,
            "source strings missing from the .pot files (export them again with "
            "--i18n-export, then translate them in de.po):\n" + "\n".join(missing),
        )

    def test_no_sentence_left_in_english(self):
        """A German "translation" that repeats the English is accepted for one
        word the trade uses as it is (Newsletter, Lead, ROI), not for more."""
        same = []
        for module in SUITE:
            po = os.path.join(get_module_path(module), "i18n", "de.po")
            for entry in polib.pofile(po):
                term = EnglishTerm(module, entry.msgid)
                if entry.msgstr.strip() == entry.msgid.strip() and term.words > 1:
                    same.append(f"{module}: {entry.msgid!r}")
        self.assertFalse(same, "left in English in de.po:\n" + "\n".join(same))

    # ------------------------------------------------------------------
    # Screens
    # ------------------------------------------------------------------

    def suite_models(self):
        return sorted(
            name
            for name, model in self.env.registry.items()
            if name.startswith("mkt.") and not model._abstract and not model._transient
        ) + sorted(
            name
            for name, model in self.env.registry.items()
            if name.startswith("mkt.") and model._transient
        )

    def test_main_views_in_german(self):
        """Form, list, kanban and search views of every suite model, with the
        views the suite adds to Odoo's models, as the web client loads them."""
        view_types = ("form", "list", "kanban", "search", "pivot", "graph")
        models = self.suite_models() + [
            "res.partner",
            "sale.order",
            "loyalty.program",
            "loyalty.card",
            "mailing.mailing",
            "crm.lead",
            "res.config.settings",
        ]
        for model in models:
            Model = self.env[model]
            views = [
                (False, view_type)
                for view_type in view_types
                if view_type in ("form", "search")
                or self.env["ir.ui.view"].search_count(
                    [("model", "=", model), ("type", "=", view_type)], limit=1
                )
            ]
            result = Model.get_views(views, {"toolbar": True})
            for view_type, view in result["views"].items():
                if not view.get("id"):
                    continue  # generated by Odoo, never shown
                self.check(
                    f"{model} {view_type} view",
                    texts_of_markup(view["arch"]),
                    # Odoo's own words on core screens: its German keeps the UTM
                    # "Medium" (a promotion's medium is a "Werbemittel"), and the
                    # purchase icon on purchase's partner kanban card has the
                    # title "Purchases" that Odoo's de.po does not translate.
                    ignore=() if model.startswith("mkt.") else ("Medium", "Purchases"),
                )
                for action in (view.get("toolbar") or {}).get("action", []):
                    self.check(f"{model} action menu", [action.get("name")])
        self.assert_german()

    def test_every_suite_view_and_template_in_german(self):
        """Every view and QWeb template of the suite (wizards, inherited views,
        reports, public pages), read in German."""
        views = self.env["ir.ui.view"].browse(
            self.env["ir.model.data"]
            .search([("module", "in", SUITE), ("model", "=", "ir.ui.view")])
            .mapped("res_id")
        )
        self.assertTrue(views)
        for view in views:
            self.check(f"view {view.xml_id}", texts_of_markup(view.arch_db))
        self.assert_german()

    def test_fields_menus_actions_and_data_in_german(self):
        """Labels, help texts and choices of the suite's fields, its menus,
        actions, crons, reports, stages, trends, mail templates and the default
        scoring catalog and customer classes of a new company."""
        for model in self.env.registry.values():
            for field in model._fields.values():
                if getattr(field, "_module", None) not in SUITE:
                    continue
                where = f"field {model._name}.{field.name}"
                self.check(
                    where,
                    [
                        field._description_string(self.env),
                        field._description_help(self.env),
                    ],
                )
                if field.type == "selection":
                    labels = field._description_selection(self.env)
                    if isinstance(labels, list):
                        self.check(where, [label for _value, label in labels])
        data = self.env["ir.model.data"].search([("module", "in", SUITE)])
        readable = {
            "ir.ui.menu": ["name"],
            "ir.actions.act_window": ["name", "help"],
            "ir.actions.server": ["name"],
            "ir.actions.report": ["name"],
            "ir.actions.client": ["name"],
            "res.groups": ["name", "comment"],
            "mkt.campaign.stage": ["name"],
            "mkt.customer.trend": ["name"],
            "mail.template": ["name", "subject"],
            "account.analytic.plan": ["name"],
            "product.template": ["name"],
            "product.product": ["name"],
            "utm.source": ["name"],
            "report.paperformat": ["name"],
        }
        for entry in data:
            if entry.model not in readable:
                continue
            record = self.env[entry.model].browse(entry.res_id)
            for name in readable[entry.model]:
                self.check(
                    f"{entry.model} {entry.complete_name}.{name}", [record[name]]
                )
                if name == "help":
                    self.check(
                        f"{entry.complete_name}.help", texts_of_markup(record.help)
                    )
        # A company created with German installed gets a German catalog.
        company = self.env["res.company"].create({"name": "Versand Nord GmbH"})
        for model in ("mkt.customer.class", "mkt.score.criterion"):
            records = self.env[model].search([("company_id", "=", company.id)])
            self.assertTrue(records)
            self.check(f"default {model} records", records.mapped("name"))
        self.assert_german()

    # ------------------------------------------------------------------
    # Order entry
    # ------------------------------------------------------------------

    def test_order_entry_messages_in_german(self):
        """The refusals of a promotion code at order entry: unknown, not yet
        running, expired, outside the audience."""
        today = fields.Date.context_today(self.env.user)
        private, business = self.env["res.partner"].create(
            [
                {"name": "Erika Mustermann", "customer_rank": 1, "lang": "de_DE"},
                {"name": "Feinkost Meyer KG", "is_company": True, "customer_rank": 1},
            ]
        )
        Promotion = self.env["mkt.promotion"]
        actions = Promotion.create(
            [
                {
                    "name": "Herbstkatalog",
                    "code": "K26",
                    "medium": "catalog",
                    "date_start": today - timedelta(days=5),
                    "date_end": today + timedelta(days=30),
                    "audience": "b2b",
                    "state": "running",
                },
                {
                    "name": "Frühjahrskatalog",
                    "code": "F26",
                    "medium": "catalog",
                    "date_start": today - timedelta(days=90),
                    "date_end": today - timedelta(days=10),
                    "state": "running",
                },
                {
                    "name": "Weihnachtsflyer",
                    "code": "WM26",
                    "medium": "flyer",
                    "date_start": today + timedelta(days=10),
                    "date_end": today + timedelta(days=40),
                    "state": "running",
                },
            ]
        )
        order = self.env["sale.order"].create({"partner_id": private.id})
        messages = []
        for code in ("X99", "K26", "F26", "WM26"):
            with self.assertRaises(UserError) as caught:
                order.write({"mkt_promotion_code": code})
            messages.append(caught.exception.args[0])
        order.mkt_promotion_code = False
        onchange = self.env["sale.order"].onchange(
            {"mkt_promotion_code": "X99", "partner_id": private.id},
            ["mkt_promotion_code"],
            {"mkt_promotion_code": {}, "partner_id": {}, "mkt_promotion_id": {}},
        )
        warning = onchange.get("warning") or {}
        self.assertTrue(warning, "a bad code is refused as the staff type it")
        messages += [warning.get("title"), warning.get("message")]
        self.check("the refusal of a promotion code", messages)
        self.assertTrue(actions)
        # A running action applied: the order's lines and chatter.
        actions[0].audience = "all"
        order.write(
            {
                "mkt_promotion_code": "K26",
                "order_line": [
                    Command.create(
                        {"product_id": self.product_cheese.id, "product_uom_qty": 2}
                    )
                ],
            }
        )
        self.check("the order lines", order.order_line.mapped("name"))
        self.check(
            "the order's chatter",
            [
                text
                for body in order.message_ids.mapped("body")
                for text in texts_of_markup(body)
            ],
        )
        self.assert_german()

    # ------------------------------------------------------------------
    # Letters, code sheet, mails
    # ------------------------------------------------------------------

    def test_campaign_letter_in_german(self):
        """The letters of a campaign step to German customers."""
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Kundin {index}",
                    "street": f"Hafenstraße {index}",
                    "zip": "20457",
                    "city": "Hamburg",
                    "country_id": self.env.ref("base.de").id,
                    "customer_rank": 1,
                    "lang": "de_DE",
                    "email": f"kundin{index}@brief.example.com",
                }
                for index in range(2)
            ]
        )
        segment = self.env["mkt.segment"].create(
            {
                "name": "Briefempfänger",
                "domain": "[('email', '=ilike', '%@brief.example.com')]",
            }
        )
        campaign = self.env["mkt.campaign"].create(
            {"name": "Olivenöl aus Kreta", "segment_id": segment.id}
        )
        self.env["mkt.campaign.activity"].create(
            {
                "campaign_id": campaign.id,
                "name": "Katalogbrief",
                "activity_type": "letter",
                "letter_body": "<p>Anbei unser neuer Katalog.</p>",
                "trigger": "begin",
            }
        )
        with freeze_time(fields.Datetime.now()):
            campaign.action_start()
        participants = campaign.participant_ids
        self.assertEqual(participants.partner_id, customers)
        # Printed by a user whose own language is English: each letter speaks
        # its recipient's language.
        Report = self.env["ir.actions.report"].with_context(lang="en_US")
        letters, _type = Report._render_qweb_html(
            "mkt_campaign_flow.mkt_campaign_letter_report", participants.ids
        )
        self.assertIn("Anbei unser neuer Katalog", letters.decode())
        self.check("the campaign letter", texts_of_markup(letters.decode()))
        self.assert_german()

    def voucher_program(self):
        return self.env["loyalty.program"].create(
            {
                "name": "10 € Willkommensgutschein",
                "program_type": "coupons",
                "rule_ids": [
                    Command.create(
                        {
                            "mode": "auto",
                            "reward_point_amount": 1,
                            "reward_point_mode": "order",
                        }
                    )
                ],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": 10,
                            "discount_mode": "per_order",
                            "discount_applicability": "order",
                            "required_points": 1,
                        }
                    )
                ],
            }
        )

    def test_voucher_sheet_in_german(self):
        program = self.voucher_program()
        wizard = self.env["mkt.voucher.print"].create(
            {"program_id": program.id, "quantity": 3}
        )
        cards = wizard._generate_cards()
        cards.write({"expiration_date": fields.Date.today() + timedelta(days=60)})
        sheet, _type = self.env["ir.actions.report"]._render_qweb_html(
            "mkt_voucher.action_report_voucher_sheet", cards.ids
        )
        self.assertIn(cards[0].code, sheet.decode())
        self.check("the voucher code sheet", texts_of_markup(sheet.decode()))
        self.assert_german()

    def test_double_opt_in_mails_in_german(self):
        """The confirmation mail and the welcome voucher of a sign-up from the
        website of a German company (the public visitor's session is not)."""
        self.env.company.partner_id.lang = "de_DE"
        self.env.company.email = "info@feinkost-welt.example.com"
        program = self.voucher_program()
        mailing_list = self.env["mailing.list"].create({"name": "Newsletter"})
        self.env.company.write(
            {
                "mkt_newsletter_list_id": mailing_list.id,
                "mkt_welcome_program_id": program.id,
            }
        )
        Subscription = self.env["mkt.newsletter.subscription"].with_context(
            lang="en_US"
        )
        with self.mock_mail_gateway():
            Subscription._subscribe("neu@example.com", "website", "192.0.2.1")
            self.env["mail.mail"].sudo().process_email_queue()
        subscription = Subscription.search([("email", "=", "neu@example.com")])
        with self.mock_mail_gateway():
            subscription._confirm(ip_address="192.0.2.1")
            self.env["mail.mail"].sudo().process_email_queue()
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("model", "=", "mkt.newsletter.subscription"),
                    ("res_id", "=", subscription.id),
                ]
            )
        )
        queued = [(mail.subject, mail.body_html) for mail in mails]
        sent = [(mail["subject"], mail["body"]) for mail in self._mails]
        self.assertTrue(queued or sent)
        for subject, body in queued + sent:
            self.check("the double opt-in mail's subject", [subject])
            self.check(f"the double opt-in mail {subject!r}", texts_of_markup(body))
        self.assert_german()
