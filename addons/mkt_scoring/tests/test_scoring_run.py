import json
from datetime import date, timedelta
from unittest.mock import patch

from odoo import api
from odoo.tests import tagged

from odoo.addons.mkt_scoring.tools.bulk_history import generate
from odoo.addons.mkt_scoring.tools.order_history import OrderHistoryBuilder

from .common import MktCommon

TODAY = date.today()


def days_ago(days):
    return TODAY - timedelta(days=days)


@tagged("post_install", "-at_install", "mkt")
class TestTrend(MktCommon):
    """Revenue of the last 12 months against the 12 before, and regularity."""

    def customer_with_orders(self, name, ages, quantity=1):
        partner = self.env["res.partner"].create({"name": name, "customer_rank": 1})
        builder = OrderHistoryBuilder(self.env)
        for age in ages:
            builder.add_order(
                partner, days_ago(age), [(self.product_cheese, quantity, None)]
            )
        builder.build()
        return partner

    def test_each_trend(self):
        customers = {
            "new": self.customer_with_orders("New", [30]),
            "lapsed": self.customer_with_orders("Lapsed", [450, 500, 600]),
            "growing": self.customer_with_orders("Growing", [500, 100, 80, 20]),
            "declining": self.customer_with_orders(
                "Declining", [600, 550, 500, 450, 100]
            ),
            # every 60 days, the same basket: stable and regular
            "regular": self.customer_with_orders("Regular", range(20, 720, 60)),
            # same revenue in both years, at uneven intervals
            "occasional": self.customer_with_orders("Occasional", [700, 380, 350, 20]),
        }
        partners = self.env["res.partner"].concat(*customers.values())
        self.env["mkt.score.engine"]._score_partners(partners.ids, self.company)
        self.assertEqual({trend: p.mkt_trend for trend, p in customers.items()},
                         {trend: trend for trend in customers})  # fmt: skip

    def test_thresholds_come_from_the_company(self):
        partner = self.customer_with_orders("Slightly up", [500, 400, 100, 50, 20])
        engine = self.env["mkt.score.engine"]
        engine._score_partners(partner.ids, self.company)
        self.assertEqual(partner.mkt_trend, "growing", "3 orders against 2: +50 %")
        self.company.mkt_trend_change_percent = 60
        engine._score_partners(partner.ids, self.company)
        self.assertNotEqual(partner.mkt_trend, "growing", "+50 % is below 60 %")


@tagged("post_install", "-at_install", "mkt")
class TestScoringCron(MktCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.create_customers_with_history(
            7, [days_ago(40), days_ago(10)], paid_on=days_ago(5)
        )
        cls.cron = cls.env.ref("mkt_scoring.ir_cron_compute_scores")
        cls.History = cls.env["mkt.score.history"]

    def test_cron_scores_everyone_and_a_second_run_does_nothing(self):
        self.cron.method_direct_trigger()
        self.assertEqual(set(self.customers.mapped("mkt_score_date")), {TODAY})
        self.assertTrue(all(self.customers.mapped("mkt_class_id")))
        history = self.History.search_count([("partner_id", "in", self.customers.ids)])
        self.assertEqual(history, 7)
        scores = self.customers.mapped("mkt_score")

        self.cron.method_direct_trigger()
        self.assertEqual(self.customers.mapped("mkt_score"), scores)
        self.assertEqual(
            self.History.search_count([("partner_id", "in", self.customers.ids)]), 7
        )

    def test_cron_resumes_what_a_crashed_run_left(self):
        engine = self.env["mkt.score.engine"]
        # a run that scored one batch of 3, then died
        first = engine._claim_due_partners(self.company, TODAY, 3)
        engine._score_partners(first, self.company, TODAY)
        first_dates = {
            p.id: p.mkt_score_date for p in self.env["res.partner"].browse(first)
        }
        self.assertEqual(set(first_dates.values()), {TODAY})

        engine._cron_compute_scores(batch_size=2)
        self.assertEqual(set(self.customers.mapped("mkt_score_date")), {TODAY})
        # nobody was scored twice: one class change each
        for partner in self.customers:
            self.assertEqual(
                self.History.search_count([("partner_id", "=", partner.id)]), 1
            )

    def yesterday_was_scored(self):
        """Move the scores and the run state of the company back by one day."""
        self.env.flush_all()
        self.env.cr.execute("UPDATE mkt_customer_score SET score_date = score_date - 1")
        self.env.cr.execute(
            """UPDATE res_company SET mkt_score_run_date = mkt_score_run_date - 1,
                      mkt_score_full_run_date = mkt_score_full_run_date - 1"""
        )
        self.env.invalidate_all()

    def stored_dates(self, partners):
        scores = self.env["mkt.customer.score"].search(
            [("partner_id", "in", partners.ids), ("company_id", "=", self.company.id)]
        )
        return {score.partner_id: score.score_date for score in scores}

    def test_daily_run_rewrites_only_what_changed(self):
        self.cron.method_direct_trigger()
        self.yesterday_was_scored()
        changed, small_order = self.customers[:2]
        builder = OrderHistoryBuilder(self.env)
        builder.add_order(changed, TODAY, [(self.product_wine, 40, None)])
        builder.add_order(small_order, TODAY, [(self.product_wine, 1, None)])
        builder.build()
        before = {p: (p.mkt_score, p.mkt_score_details) for p in self.customers}
        revenue = self.env["mkt.score.criterion"].search(
            [("company_id", "=", self.company.id), ("metric", "=", "revenue"),
             ("period_months", "=", 0)]
        )  # fmt: skip

        self.cron.method_direct_trigger()
        self.assertEqual(
            set(self.customers.mapped("mkt_score_date")),
            {TODAY},
            "the run confirms every score, changed or not",
        )
        stored = self.stored_dates(self.customers)
        self.assertEqual(stored[changed], TODAY, "a changed score is rewritten")
        self.assertGreater(changed.mkt_score, before[changed][0])
        # A breakdown whose values changed is rewritten, even if its points did not.
        self.assertEqual(stored[small_order], TODAY)
        revenue_before = json.loads(before[small_order][1])[str(revenue.id)][0]
        revenue_after = json.loads(small_order.mkt_score_details)[str(revenue.id)][0]
        self.assertEqual(revenue_after, revenue_before + 15)
        unchanged = self.customers - changed - small_order
        self.assertEqual(
            {stored[p] for p in unchanged},
            {days_ago(1)},
            "unchanged scores are not rewritten",
        )
        for partner in unchanged:
            self.assertEqual(partner.mkt_score, before[partner][0])
        scores = self.env["mkt.customer.score"].search(
            [("partner_id", "in", self.customers.ids)]
        )
        self.assertEqual(set(scores.mapped("confirmed_date")), {TODAY})
        # The breakdown counts recency and age on the day of the confirmation:
        # one day more than yesterday, without rewriting the score.
        recency = self.env["mkt.score.criterion"].search(
            [("company_id", "=", self.company.id), ("metric", "=", "recency_days")]
        )
        partner = unchanged[0]
        today_days = json.loads(partner.mkt_score_details)[str(recency.id)][0]
        yesterday_days = json.loads(before[partner][1])[str(recency.id)][0]
        self.assertEqual((today_days, yesterday_days), (10, 9))

        # searching by the date of the score sees the confirmation too
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search([("id", "in", self.customers.ids),
                            ("mkt_score_date", "=", TODAY)]),
            self.customers,
        )  # fmt: skip
        self.assertFalse(
            Partner.search([("id", "in", self.customers.ids),
                            ("mkt_score_date", "<", TODAY)])
        )  # fmt: skip

    def test_crash_in_the_middle_of_a_run_goes_on_where_it_stopped(self):
        self.cron.method_direct_trigger()
        self.yesterday_was_scored()
        engine = self.env["mkt.score.engine"]
        score_partners = type(engine)._score_partners
        calls = []

        def score_once_then_crash(self_, partner_ids, *args, **kwargs):
            if calls:
                raise RuntimeError("worker killed")
            calls.append(list(partner_ids))
            return score_partners(self_, partner_ids, *args, **kwargs)

        with (
            patch.object(type(engine), "_score_partners", score_once_then_crash),
            self.assertRaisesRegex(RuntimeError, "worker killed"),
        ):
            engine._cron_compute_scores(batch_size=3)
        scored_first = self.env["res.partner"].browse(calls[0])
        self.assertEqual(self.company.mkt_score_run_partner_id, calls[0][-1])
        self.assertEqual(set(scored_first.mapped("mkt_score_date")), {TODAY})
        self.assertEqual(
            set((self.customers - scored_first).mapped("mkt_score_date")),
            {days_ago(1)},
            "the customers the run did not reach keep yesterday's confirmation",
        )

        with patch.object(
            type(engine), "_score_partners", autospec=True, side_effect=score_partners
        ) as scoring:
            engine._cron_compute_scores(batch_size=3)
        rescored = {pid for call in scoring.call_args_list for pid in call.args[1]}
        self.assertFalse(rescored & set(calls[0]), "nobody is scored twice")
        self.assertEqual(set(self.customers.mapped("mkt_score_date")), {TODAY})

    def test_parallel_runs_take_turns_per_company(self):
        """A second worker leaves a company alone while the first scores it."""
        company_id = self.company.id
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            engine_a = api.Environment(cr_a, self.env.uid, {})["mkt.score.engine"]
            engine_b = api.Environment(cr_b, self.env.uid, {})["mkt.score.engine"]
            company_a = engine_a.env["res.company"].browse(company_id)
            company_b = engine_b.env["res.company"].browse(company_id)
            self.assertIsNotNone(engine_a._lock_run(company_a, TODAY))
            self.assertIsNone(
                engine_b._lock_run(company_b, TODAY),
                "the second worker skips the company the first one holds",
            )
            cr_a.rollback()
            self.assertIsNotNone(
                engine_b._lock_run(company_b, TODAY),
                "once the first worker is done, the company is free again",
            )
            cr_b.rollback()

    def test_parallel_workers_claim_disjoint_batches(self):
        """Two workers claim with FOR UPDATE SKIP LOCKED on committed data."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.env.uid, {})
            partners = env["res.partner"].create(
                [{"name": f"Parallel {n}", "customer_rank": 1} for n in range(30)]
            )
            ids = set(partners.ids)
            # Committed on purpose: SKIP LOCKED only shows between transactions.
            cr.commit()  # pylint: disable=invalid-commit
        try:
            with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
                engine_a = api.Environment(cr_a, self.env.uid, {})["mkt.score.engine"]
                engine_b = api.Environment(cr_b, self.env.uid, {})["mkt.score.engine"]
                company = engine_a.env.company
                claimed_a = (
                    set(engine_a._claim_due_partners(company, TODAY, 100_000)) & ids
                )
                claimed_b = (
                    set(engine_b._claim_due_partners(company, TODAY, 100_000)) & ids
                )
                self.assertEqual(claimed_a, ids, "the first worker takes them all")
                self.assertFalse(claimed_b, "the second skips what the first holds")
                cr_a.rollback()
                claimed_b = (
                    set(engine_b._claim_due_partners(company, TODAY, 100_000)) & ids
                )
                self.assertEqual(claimed_b, ids, "released rows are claimable again")
                cr_b.rollback()
        finally:
            with self.registry.cursor() as cr:
                cr.execute("DELETE FROM res_partner WHERE id = ANY(%s)", [list(ids)])


@tagged("post_install", "-at_install", "mkt")
class TestScoringQueries(MktCommon):
    """Scoring 10 or 1,000 customers takes the same number of queries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_ids = generate(
            cls.env, partners=1000, orders_per_partner=2
        ).partner_ids

    def test_query_count_does_not_grow_with_the_batch(self):
        engine = self.env["mkt.score.engine"]
        engine._score_partners(self.partner_ids[:1], self.company)  # warm the caches
        self.env.invalidate_all()
        with self.assertQueryCount(11):
            engine._score_partners(self.partner_ids[1:11], self.company)
        self.env.invalidate_all()
        with self.assertQueryCount(11):
            engine._score_partners(self.partner_ids[11:1000], self.company)
        scored = self.env["res.partner"].browse(self.partner_ids[11:1000])
        self.assertEqual(set(scored.mapped("mkt_score_date")), {TODAY})
        self.assertTrue(all(scored.mapped("mkt_class_id")))
