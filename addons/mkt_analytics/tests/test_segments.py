from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import AnalyticsCommon


@tagged("post_install", "-at_install", "mkt")
class TestSegments(AnalyticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_shop = cls.env["crm.team"].create({"name": "Webshop"})
        cls.Segment = cls.env["mkt.segment"]

    def segment(self, **values):
        return self.Segment.create({"name": "Test", **values})

    def test_price_band_and_channel(self):
        # Cheese at 20 EUR through the webshop, wine at 15 EUR by field sales.
        self.confirm_order(
            self.anna, [(self.product_cheese, 1)], team_id=self.team_shop.id
        )
        self.confirm_order(self.bert, [(self.product_wine, 1)])
        band_15_25 = self.segment(price_min=15, price_max=25)
        band_16_25 = self.segment(price_min=16, price_max=25)
        band_up_to_20 = self.segment(price_max=20)
        shop = self.segment(team_ids=[fields.Command.set(self.team_shop.ids)])
        self.assertEqual(
            set(band_15_25._get_partner_ids()), {self.anna.id, self.bert.id}
        )
        self.assertEqual(band_16_25._get_partner_ids(), [self.anna.id])
        self.assertEqual(band_up_to_20._get_partner_ids(), [self.bert.id])
        self.assertEqual(shop._get_partner_ids(), [self.anna.id])
        self.assertEqual(shop.partner_count, 1)

    def test_cancelled_orders_make_no_member(self):
        order = self.confirm_order(self.anna, [(self.product_cheese, 1)])
        band = self.segment(price_min=15, price_max=25)
        self.assertEqual(band._get_partner_ids(), [self.anna.id])
        order._action_cancel()
        self.assertEqual(band._get_partner_ids(), [])

    def test_bad_price_band_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.segment(name="Negative", price_min=-1)
        with self.assertRaisesRegex(ValidationError, "Item Price From"):
            self.segment(name="Upside down", price_min=50, price_max=20)

    def test_cron_creates_refreshes_and_archives_automatic_segments(self):
        order = self.confirm_order(
            self.anna, [(self.product_cheese, 1)], team_id=self.team_shop.id
        )
        cron = self.env.ref("mkt_analytics.ir_cron_refresh_segments")
        cron.method_direct_trigger()
        auto = self.Segment.search([("auto_key", "!=", False)])
        keys = set(auto.mapped("auto_key"))
        self.assertTrue(
            {
                f"product:{self.product_cheese.id}",
                f"category:{self.category_cheese.id}",
                f"team:{self.team_shop.id}",
                "price:10-25",
                "trend:growing",
                "trend:declining",
                "trend:regular",
            }
            <= keys
        )
        self.assertNotIn(f"product:{self.product_wine.id}", keys)
        cheese = auto.filtered(
            lambda s: s.auto_key == f"product:{self.product_cheese.id}"
        )
        self.assertEqual(cheese._get_partner_ids(), [self.anna.id])
        # A second run changes nothing.
        cron.method_direct_trigger()
        self.assertEqual(self.Segment.search([("auto_key", "!=", False)]), auto)
        # Nothing sold any more: archived; sold again: back.
        order._action_cancel()
        cron.method_direct_trigger()
        self.assertFalse(cheese.active)
        self.confirm_order(self.bert, [(self.product_cheese, 1)])
        cron.method_direct_trigger()
        self.assertTrue(cheese.active)
        self.assertEqual(cheese._get_partner_ids(), [self.bert.id])


@tagged("post_install", "-at_install", "mkt")
class TestTrendMovements(AnalyticsCommon):
    def test_movements_since_last_month(self):
        Score = self.env["mkt.customer.score"]
        today = fields.Date.context_today(self.env.user)
        scores = Score.create(
            [
                {
                    "partner_id": self.anna.id,
                    "company_id": self.company.id,
                    "trend": "regular",
                },
                {
                    "partner_id": self.bert.id,
                    "company_id": self.company.id,
                    "trend": "growing",
                },
                {
                    "partner_id": self.clara.id,
                    "company_id": self.company.id,
                    "trend": "growing",
                },
            ]
        )
        Snapshot = self.env["mkt.trend.snapshot"]
        last_month = today.replace(day=1) - relativedelta(months=1)
        Snapshot._take(self.company, month=last_month)
        Snapshot._take(self.company, month=last_month)
        self.assertEqual(Snapshot.search_count([("month", "=", last_month)]), 3)
        # Since then Anna buys more, Bert less.
        scores[0].trend = "growing"
        scores[1].trend = "declining"
        self.env.ref("mkt_analytics.ir_cron_refresh_segments").method_direct_trigger()
        self.assertEqual(
            Snapshot.search_count([("month", "=", today.replace(day=1))]), 3
        )
        report = self.env["mkt.trend.movement.report"]
        moves = {
            (previous, current): count
            for previous, current, count in report._read_group(
                [("moved", "=", True)], ["previous_trend", "current_trend"], ["__count"]
            )
        }
        self.assertEqual(
            moves, {("regular", "growing"): 1, ("growing", "declining"): 1}
        )
        self.assertEqual(report.search_count([("moved", "=", False)]), 1)

    def test_first_snapshot_seeds_last_month_from_the_order_history(self):
        """Trend movements show from the first run: last month's trends come
        from the orders before it, by the scoring's own rule."""
        Snapshot = self.env["mkt.trend.snapshot"]
        this_month = fields.Date.context_today(self.env.user).replace(day=1)
        last_month = this_month - relativedelta(months=1)

        def order_on(partner, days_before_last_month):
            order = self.confirm_order(partner)
            order.date_order = fields.Datetime.to_datetime(last_month) - relativedelta(
                days=days_before_last_month
            )
            return order

        # Anna buys again and again, Bert bought once long ago, Clara only
        # after the start of last month (no trend then).
        for days in (200, 150, 100, 50, 10):
            order_on(self.anna, days)
        order_on(self.bert, 500)
        self.confirm_order(self.clara)
        Snapshot._take(self.company)
        seeded = {
            snapshot.partner_id: snapshot.trend
            for snapshot in Snapshot.search([("month", "=", last_month)])
        }
        self.assertEqual(set(seeded), {self.anna, self.bert})
        # The scoring engine, run as of the start of last month (no order of
        # Anna or Bert came later), says the same.
        self.env["mkt.score.engine"]._score_partners(
            (self.anna | self.bert).ids, self.company, today=last_month
        )
        scores = self.env["mkt.customer.score"].search(
            [("partner_id", "in", (self.anna | self.bert).ids)]
        )
        self.assertEqual({s.partner_id: s.trend for s in scores}, seeded)
        self.assertEqual(seeded[self.bert], "lapsed")
        # This month's snapshot is taken from the scores as usual; a second run
        # adds nothing to last month.
        Snapshot._take(self.company)
        self.assertEqual(Snapshot.search_count([("month", "=", last_month)]), 2)
        self.assertEqual(
            Snapshot.search([("month", "=", this_month)]).partner_id,
            self.anna | self.bert,
        )


@tagged("post_install", "-at_install", "mkt")
class TestPurchaseLineCriteria(AnalyticsCommon):
    """Product, category, price band and channel are met by one purchase line."""

    def test_criteria_on_the_same_line(self):
        # Anna: cheese at 20 EUR and wine at 15 EUR in one order.
        self.confirm_order(
            self.anna, [(self.product_cheese, 1), (self.product_wine, 1)]
        )
        self.confirm_order(self.bert, [(self.product_cheese, 3)])
        Segment = self.env["mkt.segment"]
        cheese = fields.Command.set(self.product_cheese.ids)
        wine_category = fields.Command.set(self.category_wine.ids)
        cheap_cheese = Segment.create(
            {"name": "Cheap cheese", "product_ids": [cheese], "price_max": 18}
        )
        self.assertFalse(
            cheap_cheese._get_partner_ids(),
            "Anna's 15 EUR line is wine, not cheese",
        )
        wine = Segment.create(
            {"name": "Wine", "product_category_ids": [wine_category], "price_max": 18}
        )
        self.assertEqual(wine._get_partner_ids(), [self.anna.id])
        cheese_buyers = Segment.create({"name": "Cheese", "product_ids": [cheese]})
        self.assertEqual(
            cheese_buyers._get_partner_ids(), sorted((self.anna | self.bert).ids)
        )

    def test_count_of_a_segment_being_edited(self):
        """The form counts the members of a segment not saved yet."""
        self.confirm_order(self.anna, [(self.product_cheese, 1)])
        form = Form(self.env["mkt.segment"])
        form.name = "Cheese from 15 EUR"
        form.price_min = 15
        form.product_ids.add(self.product_cheese)
        self.assertEqual(form.partner_count, 1)
        form.price_min = 25
        self.assertEqual(form.partner_count, 0)
        # The criteria of mkt_scoring apply too.
        form.price_min = 15
        form.zip_from = "8"
        self.assertEqual(form.partner_count, 0)
        form.zip_from = False
        segment = form.save()
        with Form(segment) as form:
            form.price_min = 10
            self.assertEqual(form.partner_count, 1)
            form.zip_from = "8"
            self.assertEqual(form.partner_count, 0)


@tagged("post_install", "-at_install", "mkt")
class TestProductsByChannel(AnalyticsCommon):
    def test_best_sellers_per_sales_team(self):
        team_shop = self.env["crm.team"].create({"name": "Webshop"})
        self.confirm_order(self.anna, [(self.product_cheese, 2)], team_id=team_shop.id)
        self.create_order(self.bert, [(self.product_cheese, 5)])  # a quotation
        action = self.env.ref("mkt_analytics.mkt_sale_report_channel_action")
        self.env.flush_all()
        rows = self.env["sale.report"]._read_group(
            [
                *safe_eval(action.domain),
                ("partner_id", "in", (self.anna | self.bert).ids),
            ],
            ["team_id", "product_id"],
            ["product_uom_qty:sum"],
        )
        self.assertEqual(rows, [(team_shop, self.product_cheese, 2.0)])
        self.assertEqual(action.view_ids.view_mode, "pivot")
