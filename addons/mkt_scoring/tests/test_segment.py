from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.mkt_scoring.tools.bulk_history import generate
from odoo.addons.mkt_scoring.tools.order_history import OrderHistoryBuilder

from .common import MktCommon

TODAY = date.today()


def days_ago(days):
    return TODAY - timedelta(days=days)


@tagged("post_install", "-at_install", "mkt")
class TestSegment(MktCommon):
    """Hand-built customers; every expected member is worked out here.

    ======================  =======  ==========================================
    customer                postcode  confirmed orders (untaxed, company A)
    ======================  =======  ==========================================
    match                   80331    cheese 40.00 (45 days), wine 60.00 (200 d.)
    firm (via its contact)  81675    contact: cheese 200.00 (60 days)
    hard                    85049    hard cheese (subcategory) 30.00 (100 days)
    wrong_zip               70173    cheese 40.00 (10 days)
    wine_only               80469    wine 150.00 (20 days)
    too_old                 80333    cheese 60.00 (13 months)
    cancelled               80335    a cancelled cheese order only
    no_zip                  -        cheese 20.00 (5 days)
    nothing                 80000    -
    ======================  =======  ==========================================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category_hard = cls.env["product.category"].create(
            {"name": "Hard cheese", "parent_id": cls.category_cheese.id}
        )
        cls.product_hard = cls.env["product.product"].create(
            {
                "name": "Parmigiano",
                "categ_id": cls.category_hard.id,
                "list_price": 30.0,
                "type": "consu",
                "invoice_policy": "order",
                "taxes_id": [(5, 0, 0)],
            }
        )
        de, at = cls.env.ref("base.de"), cls.env.ref("base.at")
        Partner = cls.env["res.partner"]

        def customer(name, zip_code, **values):
            return Partner.create(
                {"name": name, "zip": zip_code, "customer_rank": 1, **values}
            )

        cls.match = customer(
            "Match", "80331", country_id=de.id, email="match@example.com"
        )
        cls.firm = customer(
            "Käse GmbH",
            "81675",
            is_company=True,
            country_id=de.id,
            email="kaese@example.com",
        )
        cls.firm_contact = Partner.create(
            {"name": "Buyer", "parent_id": cls.firm.id, "zip": "10115"}
        )
        cls.hard = customer("Hard", "85049", email="Hard <MATCH@Example.com>")
        cls.wrong_zip = customer("Wrong zip", "70173", country_id=at.id)
        cls.wine_only = customer("Wine only", "80469")
        cls.too_old = customer("Too old", "80333")
        cls.cancelled = customer("Cancelled", "80335")
        cls.no_zip = customer("No zip", False)
        cls.nothing = customer("Nothing", "80000")
        cls.customers = (
            cls.match
            | cls.firm
            | cls.hard
            | cls.wrong_zip
            | cls.wine_only
            | cls.too_old
            | cls.cancelled
            | cls.no_zip
            | cls.nothing
        )
        cheese, wine = cls.product_cheese, cls.product_wine  # 20.00 and 15.00
        builder = OrderHistoryBuilder(cls.env)
        for partner, when, lines in [
            (cls.match, days_ago(45), [(cheese, 2, None)]),
            (cls.match, days_ago(200), [(wine, 4, None)]),
            (cls.firm_contact, days_ago(60), [(cheese, 10, None)]),
            (cls.hard, days_ago(100), [(cls.product_hard, 1, None)]),
            (cls.wrong_zip, days_ago(10), [(cheese, 2, None)]),
            (cls.wine_only, days_ago(20), [(wine, 10, None)]),
            (cls.too_old, TODAY - relativedelta(months=13), [(cheese, 3, None)]),
            (cls.no_zip, days_ago(5), [(cheese, 1, None)]),
        ]:
            builder.add_order(partner, when, lines, invoice=False)
        builder.build()
        cls.env["sale.order"].create(
            {
                "partner_id": cls.cancelled.id,
                "order_line": [(0, 0, {"product_id": cheese.id})],
            }
        ).action_cancel()
        cls.Segment = cls.env["mkt.segment"]
        cls.user_mailer = new_test_user(
            cls.env,
            login="mkt_mailer",
            groups="mkt_scoring.mkt_group_user,mass_mailing.group_mass_mailing_user",
        )
        cls.user_portal = new_test_user(
            cls.env, login="mkt_seg_portal", groups="base.group_portal"
        )

    def make_segment(self, **values):
        """A segment over the customers above only (the database has others)."""
        return self.Segment.create(
            {
                "name": "Test segment",
                "domain": repr([("id", "in", self.customers.ids)]),
                **values,
            }
        )

    def members(self, segment):
        return self.env["res.partner"].browse(segment._get_partner_ids())

    def assertMembers(self, segment, expected):
        self.assertEqual(self.members(segment), expected)
        self.assertEqual(segment.partner_count, len(expected))

    # ------------------------------------------------------------------
    # The example: postcode starting with 8, bought cheese in 12 months
    # ------------------------------------------------------------------

    def test_example_segment(self):
        # Default filter (every customer), as staff would create it.
        segment = self.Segment.create(
            {
                "name": "Cheese lovers in 8",
                "zip_from": "8",
                "zip_to": "8",
                "product_category_ids": [(6, 0, self.category_cheese.ids)],
            }
        )
        self.assertEqual(segment.purchase_months, 12)
        # hard: a subcategory of Cheese; firm: bought by its contact person.
        # Not: wrong_zip (7...), wine_only (other category), too_old (13 months),
        # cancelled (cancelled order only), no_zip, nothing, firm_contact (10115).
        self.assertMembers(segment, self.match | self.firm | self.hard)

    def test_live_count_while_editing(self):
        with Form(self.Segment) as form:
            form.name = "Cheese lovers in 8"
            form.zip_from = "8"
            form.zip_to = "8"
            form.product_category_ids.add(self.category_cheese)
            self.assertEqual(form.partner_count, 3)
            form.purchase_months = 0
            self.assertEqual(form.partner_count, 4, "too_old bought 13 months ago")

    def test_bought_product_and_period(self):
        segment = self.make_segment(product_ids=[(6, 0, self.product_cheese.ids)])
        self.assertMembers(
            segment, self.match | self.firm | self.wrong_zip | self.no_zip
        )
        segment.purchase_months = 0  # every order: the 13-month-old one counts
        self.assertMembers(
            segment,
            self.match | self.firm | self.wrong_zip | self.no_zip | self.too_old,
        )
        segment.purchase_months = 1
        self.assertMembers(segment, self.wrong_zip | self.no_zip)

    def test_products_or_categories(self):
        segment = self.make_segment(
            product_ids=[(6, 0, self.product_wine.ids)],
            product_category_ids=[(6, 0, self.category_hard.ids)],
        )
        self.assertMembers(segment, self.match | self.wine_only | self.hard)

    def test_postcode_range(self):
        segment = self.make_segment(zip_from="80", zip_to="81")
        self.assertMembers(
            segment,
            self.match
            | self.firm
            | self.wine_only
            | self.too_old
            | self.cancelled
            | self.nothing,
        )
        segment.write({"zip_from": "80332", "zip_to": "80469"})
        self.assertMembers(segment, self.too_old | self.cancelled | self.wine_only)
        segment.write({"zip_from": "85", "zip_to": False})
        self.assertMembers(segment, self.hard)

    def test_country_and_related_path(self):
        self.assertMembers(
            self.make_segment(country_ids=[(6, 0, self.env.ref("base.at").ids)]),
            self.wrong_zip,
        )
        by_path = self.make_segment(
            domain=repr(
                [("id", "in", self.customers.ids), ("country_id.code", "=", "DE")]
            )
        )
        self.assertMembers(by_path, self.match | self.firm)

    def test_revenue_range(self):
        # Revenue in 12 months: match 100, firm 200, hard 30, wrong_zip 40,
        # wine_only 150, no_zip 20, others 0.
        segment = self.make_segment(
            revenue_rule="between", revenue_min=50, revenue_max=150
        )
        self.assertMembers(segment, self.match | self.wine_only)
        segment.write({"revenue_rule": "at_least", "revenue_min": 100})
        self.assertMembers(segment, self.match | self.firm | self.wine_only)
        # Customers without orders have a revenue of 0: they are at most 30.
        segment.write({"revenue_rule": "at_most", "revenue_max": 30})
        self.assertMembers(
            segment,
            self.hard | self.too_old | self.cancelled | self.no_zip | self.nothing,
        )
        segment.write(
            {"revenue_rule": "at_least", "revenue_min": 60, "purchase_months": 0}
        )
        self.assertMembers(
            segment, self.match | self.firm | self.wine_only | self.too_old
        )

    def test_score_class_and_trend(self):
        gold, silver = self.env["mkt.customer.class"].create(
            [
                {"name": "Gold", "min_score": 9001},
                {"name": "Silver", "min_score": 9002},
            ]
        )
        # What a scoring run writes for the company.
        self.env["mkt.customer.score"].create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "score": score,
                    "score_date": TODAY,
                    "class_id": customer_class.id,
                    "trend": trend,
                }
                for partner, score, customer_class, trend in [
                    (self.match, 250, gold, "growing"),
                    (self.firm, 120, silver, "regular"),
                    (self.hard, -20, silver, "lapsed"),
                ]
            ]
        )
        segment = self.make_segment(score_rule="between", score_min=100, score_max=250)
        self.assertMembers(segment, self.match | self.firm)
        # Unscored customers have no score: they never match a score range.
        segment.write({"score_rule": "at_most", "score_max": 0})
        self.assertMembers(segment, self.hard)
        segment.write({"score_rule": "at_least", "score_min": -20})
        self.assertMembers(segment, self.match | self.firm | self.hard)
        self.assertMembers(
            self.make_segment(class_ids=[(6, 0, silver.ids)]), self.firm | self.hard
        )
        trends = self.env.ref("mkt_scoring.mkt_customer_trend_growing") | self.env.ref(
            "mkt_scoring.mkt_customer_trend_lapsed"
        )
        self.assertMembers(
            self.make_segment(trend_ids=[(6, 0, trends.ids)]), self.match | self.hard
        )

    def test_trend_records_follow_the_partner_field(self):
        values = [
            value
            for value, _label in self.env["res.partner"]._fields["mkt_trend"].selection
        ]
        trends = self.env["mkt.customer.trend"].search([])
        self.assertEqual(trends.mapped("code"), values)

    def test_segment_of_another_company_sees_its_own_orders(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        segment = self.make_segment(
            company_id=other.id, product_category_ids=[(6, 0, self.category_cheese.ids)]
        )
        self.assertEqual(segment.partner_count, 0, "the orders are company A's")

    def test_search_customers_by_segment(self):
        segment = self.make_segment(zip_from="85", zip_to="85")
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search([("mkt_segment_id", "=", segment.id)]), self.hard
        )
        action = segment.action_open_partners()
        self.assertEqual(Partner.search(action["domain"]), self.hard)
        # A segment may build on another one, but not on itself.
        nested = self.make_segment(
            domain=repr([("mkt_segment_id", "=", segment.id)]),
            product_category_ids=[(6, 0, self.category_cheese.ids)],
        )
        self.assertMembers(nested, self.hard)
        with self.assertRaisesRegex(ValidationError, "Test segment"):
            segment.domain = repr([("mkt_segment_id", "=", segment.id)])

    # ------------------------------------------------------------------
    # Freeze, mailing lists
    # ------------------------------------------------------------------

    def test_freeze_and_unfreeze(self):
        segment = self.make_segment(zip_from="8", zip_to="8", purchase_months=12)
        segment.product_category_ids = self.category_cheese
        segment.action_freeze()
        self.assertTrue(segment.is_frozen)
        self.assertTrue(segment.frozen_date)
        self.assertEqual(segment.partner_ids, self.match | self.firm | self.hard)
        # Later changes do not move the frozen list.
        self.wrong_zip.zip = "80999"
        self.match.zip = "10115"
        self.assertMembers(segment, self.match | self.firm | self.hard)
        segment.action_unfreeze()
        self.assertFalse(segment.is_frozen)
        self.assertFalse(segment.partner_ids)
        self.assertMembers(segment, self.firm | self.hard | self.wrong_zip)

    def test_export_to_mailing_list_without_duplicates(self):
        segment = self.make_segment(zip_from="8", zip_to="8")
        segment.product_category_ids = self.category_cheese
        old_list = self.env["mailing.list"].create({"name": "Old list"})
        known = self.env["mailing.contact"].create(
            {"name": "Käse", "email": "kaese@example.com", "list_ids": old_list.ids}
        )
        segment = segment.with_user(self.user_mailer)
        action = segment.action_export_mailing_list()
        wizard = (
            self.env["mkt.segment.mailing.list"]
            .with_user(self.user_mailer)
            .with_context(**action["context"])
            .create({"new_list_name": "Cheese lovers"})
        )
        wizard.action_add()
        mailing_list = self.env["mailing.list"].search([("name", "=", "Cheese lovers")])
        self.assertEqual(len(mailing_list), 1)
        # match and hard share an address: one contact; the known one is reused.
        self.assertEqual(
            sorted(mailing_list.contact_ids.mapped("email_normalized")),
            ["kaese@example.com", "match@example.com"],
        )
        self.assertIn(known, mailing_list.contact_ids)
        self.assertEqual(
            self.env["mailing.contact"].search_count(
                [("email_normalized", "=", "kaese@example.com")]
            ),
            1,
        )
        # Again, into the existing list: nothing new.
        again = (
            self.env["mkt.segment.mailing.list"]
            .with_user(self.user_mailer)
            .create({"segment_id": segment.id, "mailing_list_id": mailing_list.id})
        )
        self.assertEqual(again._add_to_mailing_list()[1], 0)
        self.assertEqual(len(mailing_list.contact_ids), 2)
        self.assertEqual(len(mailing_list.subscription_ids), 2)

    def test_export_without_emails_creates_nothing(self):
        segment = self.make_segment(zip_from="80000", zip_to="80000")
        self.assertMembers(segment, self.nothing)
        wizard = self.env["mkt.segment.mailing.list"].create(
            {"segment_id": segment.id, "new_list_name": "Empty"}
        )
        with self.assertRaisesRegex(UserError, "email address"):
            wizard.action_add()
        self.assertFalse(self.env["mailing.list"].search([("name", "=", "Empty")]))

    def test_export_needs_email_marketing_rights(self):
        # Marketing / User implies Email Marketing once mkt_campaign_flow or
        # mkt_voucher is installed; mkt_scoring alone does not grant it.
        user = new_test_user(
            self.env, login="mkt_no_mailing", groups="mkt_scoring.mkt_group_user"
        )
        segment = self.make_segment().with_user(user)
        if user.has_group("mass_mailing.group_mass_mailing_user"):
            action = segment.action_export_mailing_list()
            self.assertEqual(action["res_model"], "mkt.segment.mailing.list")
        else:
            with self.assertRaisesRegex(UserError, "Email Marketing"):
                segment.action_export_mailing_list()

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------

    def test_invalid_domains_are_refused(self):
        for domain, reason in [
            ("[('no_such_field', '=', 1)]", "no_such_field"),
            ("[('name', 'like')]", ""),
            ("customers in Munich", ""),
            ("[('customer_rank', '>', 'many')]", "many"),
        ]:
            with (
                self.subTest(domain=domain),
                self.assertRaises(ValidationError) as error,
            ):
                self.Segment.create({"name": "Broken", "domain": domain})
            message = str(error.exception)
            self.assertIn('Segment "Broken"', message)
            self.assertIn('"Filter"', message)
            self.assertIn(reason, message)
        self.assertFalse(self.Segment.search([("name", "=", "Broken")]))
        frozen = self.make_segment()
        frozen.action_freeze()
        with self.assertRaisesRegex(ValidationError, "no_such_field"):
            frozen.domain = "[('no_such_field', '=', 1)]"

    def test_bad_criteria_are_refused(self):
        segment = self.make_segment(zip_from="80", zip_to="85")
        for values, fields in [
            ({"zip_from": "9", "zip_to": "8"}, ["Postcode From", "Postcode To"]),
            ({"purchase_months": -1}, ["Period (months)"]),
            (
                {"revenue_rule": "between", "revenue_min": 200, "revenue_max": 100},
                ["Revenue From", "Revenue To"],
            ),
            (
                {"score_rule": "between", "score_min": 10, "score_max": 5},
                ["Score From", "Score To"],
            ),
        ]:
            with (
                self.subTest(values=values),
                self.assertRaises(ValidationError) as error,
            ):
                segment.write(values)
            for field in [*fields, "Test segment"]:
                self.assertIn(field, str(error.exception))
        # Nothing half-written.
        self.assertEqual((segment.zip_from, segment.zip_to), ("80", "85"))
        self.assertEqual(segment.purchase_months, 12)
        self.assertFalse(segment.revenue_rule)

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_access_per_role(self):
        segment = self.make_segment(zip_from="85", zip_to="85")
        for user in (self.user_marketing, self.user_marketing_manager):
            with self.subTest(user=user.login):
                own = self.Segment.with_user(user).create(
                    {"name": f"By {user.login}", "zip_from": "1"}
                )
                own.write({"zip_to": "2"})
                own.action_freeze()
                own.action_unfreeze()
                own.unlink()
        as_salesman = segment.with_user(self.user_salesman)
        self.assertEqual(as_salesman.partner_count, 1, "salespeople read segments")
        self.assertEqual(as_salesman._get_partner_ids(), self.hard.ids)
        for attempt in (
            lambda: self.Segment.with_user(self.user_salesman).create({"name": "No"}),
            lambda: as_salesman.write({"name": "No"}),
            lambda: as_salesman.action_freeze(),
            lambda: as_salesman.unlink(),
        ):
            with self.assertRaises(AccessError):
                attempt()
        self.assertFalse(segment.is_frozen)
        with self.assertRaises(AccessError):
            segment.with_user(self.user_portal).read(["name"])

    def test_company_rule(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        elsewhere = self.make_segment(name="Elsewhere", company_id=other.id)
        here = self.make_segment(name="Here")
        visible = self.Segment.with_user(self.user_marketing).search(
            [("id", "in", (elsewhere | here).ids)]
        )
        self.assertEqual(visible, here)

    # ------------------------------------------------------------------
    # Performance
    # ------------------------------------------------------------------

    def test_count_query_count_does_not_depend_on_size(self):
        partner_ids = generate(
            self.env, partners=1000, orders_per_partner=1
        ).partner_ids
        category = self.env["product.category"].search(
            [("name", "=", "Bench category 3")]
        )
        small, large = (
            self.Segment.create(
                {
                    "name": name,
                    "domain": repr([("id", "in", ids)]),
                    "zip_from": "0",
                    "zip_to": "4",
                    "product_category_ids": [(6, 0, category.ids)],
                }
            )
            for name, ids in (("Small", partner_ids[:10]), ("Large", partner_ids))
        )
        for segment, ids in ((small, partner_ids[:10]), (large, partner_ids)):
            expected = self._count_by_hand(ids, category)
            self.assertEqual(segment.partner_count, expected)
            segment.invalidate_recordset(["partner_count"])
            with self.assertQueryCount(1):
                self.assertEqual(segment.partner_count, expected)
        self.assertGreater(large.partner_count, small.partner_count)
        # The statement for benchmarks is the one that counts.
        self.env.cr.execute(large._get_count_sql())
        self.assertEqual(self.env.cr.fetchone()[0], large.partner_count)

    def test_a_list_of_segments_counts_in_one_query(self):
        segments = self.Segment.create(
            [
                {"name": "Zip 0-4", "zip_from": "0", "zip_to": "4"},
                {"name": "Zip 5-9", "zip_from": "5", "zip_to": "9"},
                {"name": "Frozen", "zip_from": "0", "zip_to": "9"},
            ]
        )
        segments[2].action_freeze()
        expected = {
            segment: self.env["res.partner"].search_count(
                [("id", "in", segment._get_partner_ids())]
            )
            for segment in segments
        }
        segments.mapped("partner_count")  # the segments' own fields in the cache
        segments.invalidate_recordset(["partner_count"])
        with self.assertQueryCount(1):
            counts = {segment: segment.partner_count for segment in segments}
        self.assertEqual(counts, expected)

    def _count_by_hand(self, partner_ids, category):
        self.env.cr.execute(
            SQL(
                """SELECT count(*) FROM res_partner p
                    WHERE p.id = ANY(%(ids)s) AND p.active
                      AND left(p.zip, 1) BETWEEN '0' AND '4'
                      AND EXISTS (
                          SELECT 1 FROM sale_order so
                            JOIN sale_order_line l ON l.order_id = so.id
                            JOIN product_product pp ON pp.id = l.product_id
                            JOIN product_template pt ON pt.id = pp.product_tmpl_id
                           WHERE so.partner_id = p.id AND so.state = 'sale'
                             AND so.date_order >= %(since)s
                             AND pt.categ_id = %(category)s)""",
                ids=partner_ids,
                since=TODAY - relativedelta(months=12),
                category=category.id,
            )
        )
        return self.env.cr.fetchone()[0]
