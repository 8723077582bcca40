import json
from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.mkt_scoring.tools.order_history import OrderHistoryBuilder

from .common import MktCommon

TODAY = date.today()


def days_ago(days):
    return TODAY - timedelta(days=days)


@tagged("post_install", "-at_install", "mkt")
class TestScoring(MktCommon):
    """A hand-built catalog and customers whose every point is worked out here."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Criterion = cls.env["mkt.score.criterion"]
        Criterion.search([("company_id", "=", cls.company.id)]).unlink()
        cls.env["mkt.customer.class"].search(
            [("company_id", "=", cls.company.id)]
        ).unlink()

        def criterion(name, metric, period, bands, **extra):
            return Criterion.create(
                {
                    "name": name,
                    "metric": metric,
                    "period_months": period,
                    "band_ids": [
                        (0, 0, cls.env["mkt.score.band"]._values_for(*band))
                        for band in bands
                    ],
                    **extra,
                }
            )

        cls.c_orders = criterion(
            "Orders 12m", "order_count", 12, [(1, 3, 10), (3, None, 30)]
        )
        cls.c_recency = criterion(
            "Recency", "recency_days", 0, [(0, 30, 50), (365, None, -20)]
        )
        cls.c_revenue = criterion(
            "Revenue", "revenue", 0, [(100, 500, 20), (500, None, 60)]
        )
        cls.c_return_share = criterion(
            "Return share", "return_share", 24, [(25, None, -40)]
        )
        cls.c_return_count = criterion("Returns", "return_count", 24, [(1, None, -3)])
        cls.c_dunning = criterion(
            "Dunning", "dunning_count", 24, [(1, None, -25)], overdue_days=14
        )
        cls.c_delay = criterion("Delay", "payment_delay_days", 24, [(10, None, -15)])
        cls.c_aov = criterion("AOV", "average_order_value", 0, [(50, None, 5)])
        cls.c_age = criterion("Age", "customer_age_months", 0, [(12, None, 7)])
        cls.c_ad = criterion("Ad cost", "ad_cost", 12, [(1, None, -1)])

        Class = cls.env["mkt.customer.class"]
        cls.class_top = Class.create(
            {"name": "Top", "min_score": 100, "color": "#00aa00"}
        )
        cls.class_mid = Class.create(
            {"name": "Mid", "min_score": 0, "color": "#aaaa00"}
        )
        cls.class_low = Class.create(
            {"name": "Low", "min_score": -1000, "color": "#aa0000"}
        )

        Partner = cls.env["res.partner"]
        cls.good = Partner.create(
            {"name": "Good GmbH", "is_company": True, "customer_rank": 1}
        )
        cls.good_buyer = Partner.create({"name": "Buyer", "parent_id": cls.good.id})
        cls.bad = Partner.create({"name": "Bad payer", "customer_rank": 1})
        cls.late = Partner.create({"name": "Late payer", "customer_rank": 1})
        cls.nothing = Partner.create({"name": "No orders yet", "customer_rank": 1})
        cheese, wine = cls.product_cheese, cls.product_wine  # 20.00 and 15.00
        builder = OrderHistoryBuilder(cls.env)
        for age in (10, 60, 200):
            builder.add_order(
                cls.good_buyer if age == 60 else cls.good,
                days_ago(age),
                [(cheese, 2, None)],
                paid_on=days_ago(age) + timedelta(days=5),
            )
        builder.add_order(
            cls.bad,
            days_ago(400),
            [(wine, 10, None)],
            returned_share=0.5,
            returned_on=days_ago(390),
        )
        builder.add_order(
            cls.late,
            days_ago(100),
            [(cheese, 5, None)],
            paid_on=days_ago(100) + timedelta(70),
        )
        builder.build()
        cls.customers = cls.good | cls.bad | cls.late | cls.nothing
        cls.engine = cls.env["mkt.score.engine"]

    def details(self, partner):
        raw = json.loads(partner.mkt_score_details)
        return {int(key): tuple(value) for key, value in raw.items()}

    def test_points_classes_and_breakdown(self):
        changed = self.engine._score_partners(self.customers.ids, self.company)
        self.assertEqual(changed, 4, "every customer gets its first class")

        # 3 orders (one by a contact) in 12 months: 30; 10 days ago: 50; revenue 120: 20
        self.assertEqual(self.good.mkt_score, 100)
        self.assertEqual(self.good.mkt_class_id, self.class_top)
        good = self.details(self.good)
        self.assertEqual(good[self.c_orders.id], (3, 30))
        self.assertEqual(good[self.c_recency.id], (10, 50))
        self.assertEqual(good[self.c_revenue.id], (120, 20))
        self.assertEqual(good[self.c_aov.id], (40, 0))
        self.assertEqual(good[self.c_dunning.id], (0, 0))
        self.assertEqual(good[self.c_delay.id], (0, 0), "paid before the due date")
        self.assertEqual(
            good[self.c_ad.id], (0, 0), "no advertising costs without promotions"
        )

        # 400 days ago -20, revenue 150 +20, half returned -40, one return -3,
        # still open 370 days after due -25, average 150 +5, customer 13 months +7
        self.assertEqual(self.bad.mkt_score, -56)
        self.assertEqual(self.bad.mkt_class_id, self.class_low)
        bad = self.details(self.bad)
        self.assertEqual(bad[self.c_return_share.id], (50, -40))
        self.assertEqual(bad[self.c_return_count.id], (1, -3))
        self.assertEqual(bad[self.c_dunning.id], (1, -25))
        self.assertEqual(bad[self.c_age.id], (13, 7))
        self.assertEqual(bad[self.c_orders.id], (0, 0), "nothing in the last 12 months")

        # 1 order +10, revenue 100 +20, paid 40 days late -15 and dunned -25, average +5
        self.assertEqual(self.late.mkt_score, -5)
        self.assertEqual(self.late.mkt_class_id, self.class_low)
        self.assertEqual(self.details(self.late)[self.c_delay.id], (40, -15))

        self.assertEqual(self.nothing.mkt_score, 0)
        self.assertEqual(self.nothing.mkt_class_id, self.class_mid)
        self.assertEqual(self.details(self.nothing)[self.c_recency.id], (None, 0))
        self.assertFalse(self.nothing.mkt_trend)
        self.assertEqual(set(self.customers.mapped("mkt_score_date")), {TODAY})
        self.assertIn("Return share", self.bad.mkt_score_breakdown)

    def test_breakdown_numbers_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("de_DE")
        partner = self.good.with_context(lang="de_DE")
        self.assertEqual(
            [partner._mkt_format_number(v) for v in (2180.4, 12.0, -25, 0.125, None)],
            ["2.180,4", "12", "-25", "0,12", ""],
        )
        self.assertEqual(self.good._mkt_format_number(2180.4), "2,180.4")
        self.engine._score_partners(self.customers.ids, self.company)
        breakdown = partner.mkt_score_breakdown
        self.assertIn("<td class='text-end'>120</td>", breakdown)

    def test_class_changes_are_recorded_once(self):
        History = self.env["mkt.score.history"]
        self.engine._score_partners(self.customers.ids, self.company)
        history = History.search([("partner_id", "in", self.customers.ids)])
        self.assertEqual(len(history), 4)
        good_line = history.filtered(lambda h: h.partner_id == self.good)
        self.assertEqual(
            (good_line.score, good_line.class_id, good_line.previous_class_id),
            (100, self.class_top, self.env["mkt.customer.class"]),
        )
        self.assertFalse(
            self.good.message_ids.filtered(lambda m: "Customer class" in m.body),
            "a first class is recorded in the history, not announced on the chatter",
        )

        # the same behaviour scored again: nothing changes, nothing is written
        self.assertEqual(
            self.engine._score_partners(self.customers.ids, self.company), 0
        )
        self.assertEqual(
            History.search_count([("partner_id", "in", self.customers.ids)]), 4
        )

        # the catalog moves the bar: Good drops to Mid
        self.class_top.min_score = 150
        self.assertEqual(self.engine._score_partners(self.good.ids, self.company), 1)
        self.assertEqual(self.good.mkt_class_id, self.class_mid)
        latest = History.search([("partner_id", "=", self.good.id)], limit=1)
        self.assertEqual(latest.previous_class_id, self.class_top)
        note = self.good.message_ids.filtered(lambda m: "Customer class" in m.body)
        self.assertEqual(len(note), 1)
        self.assertIn("from Top to Mid (score 100)", note.body)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual(note.message_type, "notification")

    def test_class_names_are_escaped_in_the_chatter(self):
        self.engine._score_partners(self.good.ids, self.company)
        self.class_mid.name = "<b>Mid</b> & more"
        self.class_top.min_score = 150
        self.engine._score_partners(self.good.ids, self.company)
        body = self.good.message_ids[0].body
        self.assertIn("to &lt;b&gt;Mid&lt;/b&gt; &amp; more", body)
        self.assertNotIn("<b>Mid</b>", body)

    def test_compute_button_and_list_action(self):
        self.good_buyer.with_user(self.user_salesman).action_mkt_compute_score()
        self.assertEqual(self.good.mkt_score, 100, "a contact rescores its company")
        action = self.env.ref("mkt_scoring.action_mkt_compute_score")
        action.with_context(
            active_model="res.partner", active_ids=(self.bad | self.late).ids
        ).run()
        self.assertEqual((self.bad.mkt_score, self.late.mkt_score), (-56, -5))

    def test_compute_without_catalog_explains(self):
        self.env["mkt.score.criterion"].search([]).unlink()
        with self.assertRaisesRegex(UserError, "no scoring criteria"):
            self.good.action_mkt_compute_score()

    def test_scores_are_per_company(self):
        company_b = self.env["res.company"].create({"name": "Company B"})
        self.assertTrue(
            self.env["mkt.score.criterion"].search([("company_id", "=", company_b.id)]),
            "a new company gets the default catalog",
        )
        self.engine._score_partners(self.good.ids, self.company)
        self.engine._score_partners(self.good.ids, company_b)
        self.assertEqual(self.good.mkt_score, 100)
        good_b = self.good.with_company(company_b)
        self.assertEqual(good_b.mkt_score, 0, "no orders in company B")
        self.assertEqual(good_b.mkt_class_id.company_id, company_b)
        self.assertEqual(self.good.mkt_class_id, self.class_top)

    def test_salesman_reads_scores_portal_does_not(self):
        self.engine._score_partners(self.good.ids, self.company)
        as_salesman = self.good.with_user(self.user_salesman)
        self.assertEqual(as_salesman.mkt_score, 100)
        self.assertEqual(as_salesman.mkt_class_id.name, "Top")
        with self.assertRaises(AccessError):
            self.c_orders.with_user(self.user_salesman).write({"period_months": 3})
        with self.assertRaises(AccessError):
            self.c_orders.band_ids[0].with_user(self.user_marketing).write(
                {"points": 99}
            )
        portal = self.env["res.users"].create(
            {
                "name": "Portal",
                "login": "mkt_score_portal",
                "groups_id": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        self.assertNotIn(
            "mkt_score", self.env["res.partner"].with_user(portal).fields_get()
        )
        with self.assertRaises(AccessError):
            self.good.with_user(portal).read(["mkt_score"])


@tagged("post_install", "-at_install", "mkt")
class TestCatalogValidation(MktCommon):
    def test_overlapping_bands_name_the_criterion(self):
        with self.assertRaisesRegex(ValidationError, "Overlap test.*overlap"):
            self.env["mkt.score.criterion"].create(
                {
                    "name": "Overlap test",
                    "metric": "revenue",
                    "band_ids": [
                        (0, 0, {"value_from": 0, "value_to": 100, "points": 1}),
                        (0, 0, {"value_from": 50, "value_to": 200, "points": 2}),
                    ],
                }
            )

    def test_open_band_followed_by_another_overlaps(self):
        with self.assertRaisesRegex(ValidationError, "Open test"):
            self.env["mkt.score.criterion"].create(
                {
                    "name": "Open test",
                    "metric": "revenue",
                    "band_ids": [
                        (0, 0, {"value_from": 0, "open_ended": True, "points": 1}),
                        (0, 0, {"value_from": 50, "value_to": 200, "points": 2}),
                    ],
                }
            )

    def test_gaps_are_allowed(self):
        criterion = self.env["mkt.score.criterion"].create(
            {
                "name": "Gaps",
                "metric": "revenue",
                "band_ids": [
                    (0, 0, {"value_from": 0, "value_to": 100, "points": 1}),
                    (0, 0, {"value_from": 200, "value_to": 300, "points": 2}),
                ],
            }
        )
        self.assertEqual(len(criterion.band_ids), 2)

    def test_empty_band_names_the_criterion_and_band(self):
        with self.assertRaisesRegex(ValidationError, "Empty test.*from 100.0 to 100.0"):
            self.env["mkt.score.criterion"].create(
                {
                    "name": "Empty test",
                    "metric": "revenue",
                    "band_ids": [
                        (0, 0, {"value_from": 100, "value_to": 100, "points": 1})
                    ],
                }
            )

    def test_negative_period_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Period test.*negative"):
            self.env["mkt.score.criterion"].create(
                {"name": "Period test", "metric": "revenue", "period_months": -1}
            )

    def test_nothing_half_written_on_bad_band(self):
        criterion = self.env["mkt.score.criterion"].create(
            {
                "name": "Atomic",
                "metric": "revenue",
                "band_ids": [(0, 0, {"value_from": 0, "value_to": 100, "points": 1})],
            }
        )
        with self.assertRaises(ValidationError), self.cr.savepoint():
            criterion.write(
                {
                    "name": "Renamed",
                    "band_ids": [
                        (0, 0, {"value_from": 50, "value_to": 60, "points": 5})
                    ],
                }
            )
        criterion.invalidate_recordset()
        self.assertEqual(criterion.name, "Atomic")
        self.assertEqual(len(criterion.band_ids), 1)

    def test_default_catalog_reset_and_copy(self):
        Criterion = self.env["mkt.score.criterion"]
        defaults = Criterion.search([("company_id", "=", self.company.id)])
        self.assertGreaterEqual(len(defaults), 8)
        self.assertIn("dunning_count", defaults.mapped("metric"))
        copy = defaults[0].copy()
        self.assertEqual(len(copy.band_ids), len(defaults[0].band_ids))
        Criterion.with_user(self.user_marketing_manager).action_reset_to_defaults()
        self.assertFalse(defaults.exists().filtered("active"), "old catalog archived")
        fresh = Criterion.search([("company_id", "=", self.company.id)])
        self.assertEqual(len(fresh), len(defaults))
        with self.assertRaises(ValidationError):
            Criterion.with_user(self.user_marketing).action_reset_to_defaults()
