from datetime import date, timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.mkt_scoring.models.res_partner import ResPartner
from odoo.addons.mkt_scoring.tools.bulk_history import generate
from odoo.addons.mkt_scoring.tools.order_history import OrderHistoryBuilder

from .common import MktCommon

TODAY = date.today()
RECENT = TODAY - timedelta(days=30)
LONG_AGO = TODAY - relativedelta(months=14)


class RecommendationCommon(MktCommon):
    """Customers who bought cheese with wine (3) or with oil (2); the target
    customer bought cheese only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "mkt_recommendation_months": 12,
                "mkt_recommendation_min_support": 2,
                "mkt_recommendation_count": 4,
            }
        )
        cls.category_oil = cls.env["product.category"].create({"name": "Oils"})
        Product = cls.env["product.product"]
        common = {"type": "consu", "invoice_policy": "order", "taxes_id": [(5, 0, 0)]}
        cls.product_oil = Product.create(
            {"name": "Olive oil", "categ_id": cls.category_oil.id, "list_price": 16.9}
            | common
        )
        cls.product_vinegar = Product.create(
            {"name": "Balsamico", "categ_id": cls.category_oil.id, "list_price": 12.5}
            | common
        )
        cls.product_crackers = Product.create(
            {"name": "Crackers", "categ_id": cls.category_cheese.id, "list_price": 3.0}
            | common
        )
        cls.engine = cls.env["mkt.recommendation.engine"]
        cls.wine_buyers = cls.customers(
            3, [(cls.product_cheese, 1, None), (cls.product_wine, 1, None)], "Wine"
        )
        cls.oil_buyers = cls.customers(
            2, [(cls.product_cheese, 1, None), (cls.product_oil, 1, None)], "Oil"
        )
        cls.target = cls.customers(1, [(cls.product_cheese, 1, None)], "Target")

    @classmethod
    def customers(cls, count, lines, name, order_date=RECENT):
        return cls.create_customers_with_history(count, [order_date], lines, name=name)

    def recommended(self, partner):
        rows = self.env["mkt.recommendation"].search(
            [("partner_id", "=", partner.id)], order="rank"
        )
        return [(row.product_id, row.reason) for row in rows]

    def refresh(self):
        self.engine._refresh_company(self.company)


@tagged("post_install", "-at_install", "mkt")
class TestRecommendations(RecommendationCommon):
    def test_bought_together_ranked_by_share_of_buyers(self):
        self.refresh()
        self.assertEqual(
            self.recommended(self.target)[:2],
            [
                (self.product_wine, "bought_together"),
                (self.product_oil, "bought_together"),
            ],
            "3 of the 6 cheese buyers bought wine, 2 bought oil",
        )
        affinity = self.env["mkt.recommendation.affinity"].search(
            [
                ("product_id", "=", self.product_cheese.id),
                ("related_product_id", "=", self.product_wine.id),
            ]
        )
        self.assertEqual((affinity.support, affinity.confidence), (3, 0.5))
        self.assertEqual(
            self.recommended(self.target)[0], (self.product_wine, "bought_together")
        )
        row = self.env["mkt.recommendation"].search(
            [("partner_id", "=", self.target.id), ("rank", "=", 1)]
        )
        self.assertAlmostEqual(row.score, 2.5)

    def test_minimum_support(self):
        self.company.mkt_recommendation_min_support = 3
        self.refresh()
        reasons = dict(self.recommended(self.target))
        self.assertEqual(reasons[self.product_wine], "bought_together")
        self.assertNotEqual(
            reasons.get(self.product_oil),
            "bought_together",
            "only 2 customers bought oil with cheese",
        )

    def test_never_what_they_bought_in_the_period(self):
        buyer = self.wine_buyers[0]
        self.refresh()
        products = [product for product, _reason in self.recommended(buyer)]
        self.assertNotIn(self.product_cheese, products)
        self.assertNotIn(self.product_wine, products)
        self.assertIn(self.product_oil, products)

    def test_bought_before_the_period_is_recommended_again(self):
        old = self.customers(
            1,
            [(self.product_oil, 1, None)],
            "Old oil buyer",
            order_date=LONG_AGO,
        )
        OrderHistoryBuilder(self.env).add_order(
            old, RECENT, [(self.product_cheese, 1, None)]
        ).build()
        self.refresh()
        self.assertIn(
            (self.product_oil, "bought_together"),
            self.recommended(old),
            "the oil was bought 14 months ago, outside the 12-month period",
        )

    def test_never_what_cannot_be_sold(self):
        other_company = self.env["res.company"].create({"name": "Other GmbH"})
        Product = self.env["product.product"]
        unsellable, archived = Product.create(
            [
                {"name": "Not for sale", "categ_id": self.category_cheese.id},
                {"name": "Archived", "categ_id": self.category_cheese.id},
            ]
        )
        foreign = Product.create(
            {
                "name": "Other company's",
                "categ_id": self.category_cheese.id,
                "company_id": other_company.id,
            }
        )
        for product in unsellable | archived:
            self.customers(
                3, [(self.product_cheese, 1, None), (product, 1, None)], product.name
            )
        unsellable.sale_ok = False
        archived.action_archive()
        self.product_cheese.mkt_accessory_product_ids = unsellable | archived
        # Orders cannot mix companies: the other company's product was offered.
        self.env["mkt.recommendation.mail"].create(
            {
                "res_model": "res.partner",
                "res_id": self.target.id,
                "partner_id": self.target.id,
                "product_id": foreign.id,
                "company_id": self.company.id,
                "sent_at": RECENT,
            }
        )
        self.refresh()
        products = self.env["product.product"].concat(
            *(product for product, _reason in self.recommended(self.target))
        )
        self.assertTrue(products, "the target gets recommendations")
        self.assertFalse(products & (unsellable | archived | foreign))

    def test_accessories_first(self):
        self.product_cheese.mkt_accessory_product_ids = self.product_vinegar
        self.refresh()
        self.assertEqual(
            self.recommended(self.target)[0], (self.product_vinegar, "accessory")
        )

    def test_offered_but_not_bought(self):
        self.env["mkt.recommendation.mail"].create(
            {
                "res_model": "res.partner",
                "res_id": self.target.id,
                "partner_id": self.target.id,
                "product_id": self.product_vinegar.id,
                "company_id": self.company.id,
                "sent_at": RECENT,
            }
        )
        self.refresh()
        self.assertIn((self.product_vinegar, "offered"), self.recommended(self.target))

    def test_same_category_and_top_n(self):
        self.customers(1, [(self.product_crackers, 1, None)], "Crackers")
        self.company.mkt_recommendation_count = 3
        self.refresh()
        recommended = self.recommended(self.target)
        self.assertEqual(len(recommended), 3)
        self.assertEqual(
            recommended[2],
            (self.product_crackers, "same_category"),
            "the cheese buyer gets the crackers of the cheese category",
        )

    def test_contact_persons_count_for_their_company(self):
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.target.id}
        )
        OrderHistoryBuilder(self.env).add_order(
            contact, RECENT, [(self.product_wine, 1, None)]
        ).build()
        self.refresh()
        products = [product for product, _reason in self.recommended(self.target)]
        self.assertNotIn(self.product_wine, products)
        self.assertFalse(self.recommended(contact), "the company gets them")

    def test_bad_settings_are_refused(self):
        for field, value in (
            ("mkt_recommendation_count", 0),
            ("mkt_recommendation_months", -1),
            ("mkt_recommendation_min_support", 0),
        ):
            with self.subTest(field=field), self.assertRaises(ValidationError) as error:
                self.company.write({field: value})
            self.assertIn(self.company.name, str(error.exception))
            self.assertIn(
                self.company._fields[field]._description_string(self.env),
                str(error.exception),
            )


@tagged("post_install", "-at_install", "mkt")
class TestRecommendationCron(RecommendationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("mkt_scoring.ir_cron_refresh_recommendations")
        cls.buyers = cls.wine_buyers | cls.oil_buyers | cls.target

    def test_cron_in_batches_and_a_second_run_does_nothing(self):
        calls = []
        original = type(self.engine)._recommend

        def recommend(engine, partner_ids, company, today):
            calls.append(list(partner_ids))
            return original(engine, partner_ids, company, today)

        with patch.object(type(self.engine), "_recommend", recommend):
            self.engine._cron_refresh_recommendations(batch_size=2)
        self.assertTrue(all(len(call) <= 2 for call in calls))
        refreshed = {pid for call in calls for pid in call}
        self.assertLessEqual(set(self.buyers.ids), refreshed)
        self.assertEqual(len(refreshed), sum(map(len, calls)), "nobody twice")
        rows = self.env["mkt.recommendation"].search([])
        snapshot = sorted((r.partner_id.id, r.product_id.id, r.rank) for r in rows)
        self.assertTrue(self.recommended(self.target))
        run = self.env["mkt.recommendation.run"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual((run.run_date, run.done), (TODAY, True))

        calls.clear()
        with patch.object(type(self.engine), "_recommend", recommend):
            self.cron.method_direct_trigger()
        self.assertFalse(calls, "the refresh of the day is complete")
        rows = self.env["mkt.recommendation"].search([])
        self.assertEqual(
            sorted((r.partner_id.id, r.product_id.id, r.rank) for r in rows), snapshot
        )

    def test_restart_goes_on_where_it_stopped(self):
        self.engine._cron_refresh_recommendations(batch_size=2)
        run = self.env["mkt.recommendation.run"].search(
            [("company_id", "=", self.company.id)]
        )
        # as if the run had stopped after the first wine buyer
        run.write({"done": False, "partner_position": self.wine_buyers[0].id})
        calls = []
        original = type(self.engine)._recommend

        def recommend(engine, partner_ids, company, today):
            calls.append(list(partner_ids))
            return original(engine, partner_ids, company, today)

        with patch.object(type(self.engine), "_recommend", recommend):
            self.engine._cron_refresh_recommendations(batch_size=2)
        refreshed = {pid for call in calls for pid in call}
        self.assertNotIn(self.wine_buyers[0].id, refreshed)
        self.assertIn(self.target.id, refreshed)

    def test_stale_recommendations_are_removed(self):
        self.engine._cron_refresh_recommendations()
        self.assertTrue(self.recommended(self.target))
        self.target.action_archive()
        self.engine._request_refresh(self.company)
        self.engine._cron_refresh_recommendations()
        self.assertFalse(self.recommended(self.target))

    def test_parallel_workers_take_turns_per_company(self):
        """A second worker leaves a company alone while the first refreshes it."""
        company_id = self.company.id
        with self.registry.cursor() as cr:
            cr.execute(
                """INSERT INTO mkt_recommendation_run (company_id, partner_position)
                   VALUES (%s, 0) ON CONFLICT DO NOTHING RETURNING id""",
                [company_id],
            )
            created = cr.fetchone()
            # Committed on purpose: SKIP LOCKED only shows between transactions.
            cr.commit()  # pylint: disable=invalid-commit
        try:
            with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
                engine_a = api.Environment(cr_a, self.env.uid, {})[self.engine._name]
                engine_b = api.Environment(cr_b, self.env.uid, {})[self.engine._name]
                company_a = engine_a.env["res.company"].browse(company_id)
                company_b = engine_b.env["res.company"].browse(company_id)
                self.assertEqual(engine_a._lock_run(company_a, TODAY), 0)
                self.assertIsNone(engine_b._lock_run(company_b, TODAY))
                cr_a.rollback()
                self.assertEqual(engine_b._lock_run(company_b, TODAY), 0)
                cr_b.rollback()
        finally:
            if created:
                with self.registry.cursor() as cr:
                    cr.execute(
                        "DELETE FROM mkt_recommendation_run WHERE id = %s", created
                    )


@tagged("post_install", "-at_install", "mkt")
class TestRecommendationQueries(MktCommon):
    """Refreshing 10 or 989 customers takes the same number of queries: the
    settings of the company, work_mem, the DELETE and the INSERT."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_ids = generate(
            cls.env, partners=1000, orders_per_partner=2
        ).partner_ids

    def test_query_count_does_not_grow_with_the_batch(self):
        engine = self.env["mkt.recommendation.engine"]
        engine._rebuild_affinities(self.company, TODAY)
        engine._recommend(self.partner_ids[:1], self.company, TODAY)  # warm caches
        self.env.invalidate_all()
        with self.assertQueryCount(4):
            engine._recommend(self.partner_ids[1:11], self.company, TODAY)
        self.env.invalidate_all()
        with self.assertQueryCount(4):
            engine._recommend(self.partner_ids[11:1000], self.company, TODAY)
        count = self.env["mkt.recommendation"].search_count(
            [("partner_id", "in", self.partner_ids[11:1000])]
        )
        self.assertGreater(count, 900)


@tagged("post_install", "-at_install", "mkt")
class TestRecommendationMails(RecommendationCommon, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.target.email = "target@example.com"
        cls.engine._refresh_company(cls.company)

    def send_mailing(self, model, domain, body):
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Our recommendations",
                "mailing_model_id": self.env["ir.model"]._get_id(model),
                "mailing_domain": repr(domain),
                "body_html": body,
                "body_arch": body,
                "email_from": "shop@example.com",
            }
        )
        with self.mock_mail_gateway(mail_unlink_sent=False):
            mailing.action_send_mail()
        return mailing

    def test_placeholder_in_a_mailing_to_customers(self):
        mailing = self.send_mailing(
            "res.partner",
            [("id", "=", self.target.id)],
            '<p>Hello</p><t t-out="object.mkt_recommendation_html"/>',
        )
        body = self._new_mails.body_html
        self.assertIn("Riesling Spätlese", body)
        self.assertIn("Customers also bought", body)
        self.assertIn("15.00", body)
        self.assertNotIn("Comté", body, "the target bought the cheese")
        sent = self.env["mkt.recommendation.mail"].search(
            [("mailing_id", "=", mailing.id)]
        )
        self.assertEqual(sent.partner_id, self.target)
        self.assertEqual(
            sent.sorted("rank").product_id,
            self.env["mkt.recommendation"]
            .search([("partner_id", "=", self.target.id)], order="rank")
            .product_id,
        )
        self.assertFalse(any(sent.mapped("discount")))

    def test_placeholder_in_a_newsletter_to_mailing_contacts(self):
        contact = self.env["mailing.contact"].create(
            {"name": "Target", "email": "Target <TARGET@example.com>"}
        )
        stranger = self.env["mailing.contact"].create(
            {"name": "Stranger", "email": "stranger@example.com"}
        )
        mailing = self.send_mailing(
            "mailing.contact",
            [("id", "in", (contact | stranger).ids)],
            '<p>Hello</p><t t-out="object.mkt_recommendation_html"/>',
        )
        bodies = {mail.email_to: mail.body_html for mail in self._new_mails}
        self.assertEqual(len(self._new_mails), 2)
        by_recipient = {
            mail.mailing_trace_ids.res_id: mail.body_html for mail in self._new_mails
        }
        self.assertIn("Riesling Spätlese", by_recipient[contact.id])
        self.assertNotIn("Riesling", by_recipient[stranger.id], bodies)
        sent = self.env["mkt.recommendation.mail"].search(
            [("mailing_id", "=", mailing.id)]
        )
        self.assertEqual(set(sent.mapped("res_id")), {contact.id})
        self.assertEqual(sent.partner_id, self.target)

    def test_personal_discount(self):
        with patch.object(
            ResPartner,
            "_mkt_recommendation_discounts",
            lambda partners: {self.target.id: 10.0},
        ):
            mailing = self.send_mailing(
                "res.partner",
                [("id", "=", self.target.id)],
                '<t t-out="object.mkt_recommendation_discount_html"/>',
            )
        body = self._new_mails.body_html
        self.assertIn("13.50", body, "the wine: 15.00 less 10 %")
        self.assertIn("10 %", body)
        sent = self.env["mkt.recommendation.mail"].search(
            [("mailing_id", "=", mailing.id)]
        )
        self.assertEqual(set(sent.mapped("discount")), {10.0})

    def test_without_the_placeholder_nothing_is_recorded(self):
        mailing = self.send_mailing(
            "res.partner", [("id", "=", self.target.id)], "<p>Hello</p>"
        )
        self.assertEqual(len(self._new_mails), 1)
        self.assertFalse(
            self.env["mkt.recommendation.mail"].search(
                [("mailing_id", "=", mailing.id)]
            )
        )

    def test_product_image_has_a_public_link(self):
        # a 1x1 GIF
        self.product_wine.image_1920 = (
            "R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="
        )
        blocks = self.engine._render_blocks("res.partner", self.target.ids)
        self.assertIn(
            f"/web/image/product.product/{self.product_wine.id}/image_256"
            "?access_token=",
            blocks[self.target.id],
        )

    def test_recipients_with_recommendations_can_be_selected(self):
        contact = self.env["mailing.contact"].create(
            {"name": "Target", "email": "target@example.com"}
        )
        stranger = self.env["mailing.contact"].create(
            {"name": "Stranger", "email": "stranger@example.com"}
        )
        partners = self.env["res.partner"].search(
            [("mkt_recommendation_html", "!=", False)]
        )
        self.assertIn(self.target, partners)
        contacts = self.env["mailing.contact"].search(
            [
                ("id", "in", (contact | stranger).ids),
                ("mkt_recommendation_html", "!=", False),
            ]
        )
        self.assertEqual(contacts, contact)
        without = self.env["mailing.contact"].search(
            [
                ("id", "in", (contact | stranger).ids),
                ("mkt_recommendation_discount_html", "=", False),
            ]
        )
        self.assertEqual(without, stranger)
        with self.assertRaises(UserError):
            self.env["res.partner"].search([("mkt_recommendation_html", "ilike", "x")])

    def test_only_managers_refresh_on_demand(self):
        Recommendation = self.env["mkt.recommendation"]
        with self.assertRaises(AccessError):
            Recommendation.with_user(self.user_marketing).action_refresh()
        self.engine._cron_refresh_recommendations()
        action = Recommendation.with_user(self.user_marketing_manager).action_refresh()
        self.assertEqual(action["tag"], "display_notification")
        run = self.env["mkt.recommendation.run"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertFalse(run.run_date, "the next cron run starts afresh")
