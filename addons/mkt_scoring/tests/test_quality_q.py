import logging
import re
from datetime import date, timedelta

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, no_retry, tagged
from odoo.tools.misc import file_path

from odoo.addons.web.tests.test_js import unit_test_error_checker

from .common import MktCommon

# The colours the tour expects (static/tests/tours/mkt_quality_q_tour.js).
TOP_COLOR = "#6a1b9a"
UNSCORED_COLOR = "#9e9e9e"
SCORE_FIELDS = ["mkt_score", "mkt_class_id", "mkt_class_color", "mkt_score_date"]


@tagged("post_install", "-at_install", "mkt")
class TestQualityQ(MktCommon, HttpCase):
    """The quality Q on customers and sales orders, and who may see it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A catalog and classes of our own, so that the score and the colour do not
        # depend on how the default catalog is tuned.
        company_domain = [("company_id", "=", cls.company.id)]
        cls.env["mkt.score.criterion"].search(company_domain).unlink()
        cls.env["mkt.customer.class"].search(company_domain).unlink()
        cls.env["mkt.score.criterion"].create(
            {
                "name": "Orders this year",
                "metric": "order_count",
                "period_months": 12,
                "band_ids": [
                    (0, 0, cls.env["mkt.score.band"]._values_for(1, None, 500))
                ],
            }
        )
        cls.class_top, cls.class_low = cls.env["mkt.customer.class"].create(
            [
                {"name": "Q Top customer", "min_score": 400, "color": TOP_COLOR},
                {"name": "Q Low customer", "min_score": 0, "color": "#ef6c00"},
            ]
        )
        cls.customer = cls.create_customers_with_history(
            1, [date.today() - timedelta(days=20)], name="Quality Top"
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Quality Top Buyer", "parent_id": cls.customer.id}
        )
        cls.unscored = cls.env["res.partner"].create(
            {"name": "Quality Unscored", "customer_rank": 1}
        )
        cls.env["mkt.score.engine"]._score_partners(cls.customer.ids, cls.company)

    def test_scored_customer_lands_in_top_class(self):
        self.assertEqual(self.customer.mkt_score, 500)
        self.assertEqual(self.customer.mkt_class_id, self.class_top)
        self.assertEqual(self.customer.mkt_class_color, TOP_COLOR)
        self.assertEqual(
            self.customer.mkt_score_summary["criteria"],
            [{"name": "Orders this year", "value": 1, "points": 500}],
        )
        self.assertFalse(self.unscored.mkt_score_date)
        self.assertFalse(self.unscored.mkt_score_summary)

    def test_quality_q_tour(self):
        self.start_tour(
            "/odoo/action-base.action_partner_form",
            "mkt_quality_q_tour",
            login="mkt_salesman",
        )

    def test_sale_order_shows_customer_quality(self):
        """An order for a contact person shows its company's score, as the
        order's company scored it, whichever company is active."""
        order = self.env["sale.order"].create(
            {"partner_id": self.contact.id, "user_id": self.user_salesman.id}
        )
        order_as_salesman = order.with_user(self.user_salesman)
        self.assertEqual(
            order_as_salesman.read(SCORE_FIELDS)[0],
            {
                "id": order.id,
                "mkt_score": 500,
                "mkt_class_id": (self.class_top.id, "Q Top customer"),
                "mkt_class_color": TOP_COLOR,
                "mkt_score_date": self.customer.mkt_score_date,
            },
        )
        other_company = self.env["res.company"].create({"name": "Quality Other Co"})
        self.assertFalse(self.customer.with_company(other_company).mkt_score_date)
        self.assertEqual(order.with_company(other_company).mkt_score, 500)

    def test_portal_user_cannot_read_order_scores(self):
        portal = new_test_user(self.env, login="mkt_portal", groups="base.group_portal")
        order = self.env["sale.order"].create({"partner_id": portal.partner_id.id})
        order.message_subscribe(portal.partner_id.ids)
        order_as_portal = order.with_user(portal)
        # The portal user may read the order itself, only not the scores.
        self.assertEqual(order_as_portal.read(["name"])[0]["name"], order.name)
        self.assertFalse(
            set(SCORE_FIELDS + ["mkt_score_summary"])
            & set(order_as_portal.fields_get())
        )
        for field_name in SCORE_FIELDS + ["mkt_score_summary"]:
            with self.subTest(field=field_name), self.assertRaises(AccessError):
                order_as_portal.read([field_name])


class _Messages(logging.Handler):
    """Collects the messages of a logger without hiding them."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    def texts(self):
        return [record.getMessage() for record in self.records]


def hoot_job_id(full_name):
    """Hoot's id of a test or suite, for its `id` URL filter (the same hash as
    HOOTCommon._generate_hash in addons/web/tests/test_js.py)."""
    value = 0
    for char in full_name:
        value = ((value << 5) - value + ord(char)) & 0xFFFFFFFF
    return f"{value:08x}"


@tagged("post_install", "-at_install", "mkt")
class TestQualityQUnit(HttpCase):
    """Runs this module's Hoot tests (static/tests/*.test.js) in the browser."""

    @no_retry
    def test_hoot_unit_tests(self):
        test_file = file_path("mkt_scoring/static/tests/mkt_quality_q.test.js")
        with open(test_file, encoding="utf-8") as source:
            expected = len(re.findall(r"^test\(", source.read(), re.MULTILINE))
        messages = _Messages()
        browser_logger = self._logger.getChild("browser")
        browser_logger.addHandler(messages)
        # The test runner may log only critical messages; Hoot's summary is info.
        level = browser_logger.level
        browser_logger.setLevel(logging.INFO)
        try:
            # Only our suite: the whole bundle is loaded, but only "@mkt_scoring" runs.
            self.browser_js(
                "/web/tests?headless&loglevel=2&preset=desktop&timeout=15000"
                f"&id={hoot_job_id('@mkt_scoring')}",
                "",
                "",
                login="admin",
                timeout=900,
                success_signal="[HOOT] Test suite succeeded",
                error_checker=unit_test_error_checker,
            )
        finally:
            browser_logger.removeHandler(messages)
            browser_logger.setLevel(level)
        # A filter that matches nothing "succeeds" too: check our tests ran.
        passed = [
            int(match.group(1))
            for message in messages.texts()
            if (match := re.search(r"Passed (\d+) tests", message))
        ]
        self.assertEqual(passed, [expected], "Hoot did not run the mkt_scoring tests")
