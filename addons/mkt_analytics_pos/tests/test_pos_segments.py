from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import PosCommon


@tagged("post_install", "-at_install", "mkt")
class TestPosSegments(PosCommon):
    """Paid POS orders are purchases: at the shop, at the store, and for the
    product, category, price band and sales team criteria."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clara.customer_rank = 1
        cls.team_shop = cls.env["crm.team"].create({"name": "Webshop"})

    def segment(self, **values):
        return self.env["mkt.segment"].create({"name": "Test", **values})

    def members(self, **values):
        return self.partner_names(self.segment(**values)._get_partner_ids())

    def partner_names(self, ids):
        return set(self.env["res.partner"].browse(ids).mapped("name"))

    def test_bought_at_the_shop(self):
        # Anna buys cheese at the shop, Bert through the webshop.
        self.pos_order(self.anna, [(self.product_cheese, 2, 30.0)])
        self.confirm_order(
            self.bert, [(self.product_cheese, 1)], team_id=self.team_shop.id
        )
        shop = [Command.set(self.shop.ids)]
        self.assertEqual(self.members(pos_config_ids=shop), {"Anna Becker"})
        self.assertEqual(
            self.members(product_ids=[Command.set(self.product_cheese.ids)]),
            {"Anna Becker", "Bert Krause"},
            "a cheese bought at the till is a cheese bought",
        )
        self.assertEqual(
            self.members(
                pos_config_ids=shop,
                product_category_ids=[Command.set(self.category_cheese.ids)],
            ),
            {"Anna Becker"},
        )
        self.assertFalse(
            self.members(
                pos_config_ids=shop,
                product_ids=[Command.set(self.product_wine.ids)],
            )
        )
        # The price band applies to the same line: 30 EUR at the till.
        self.assertEqual(self.members(price_min=25, price_max=50), {"Anna Becker"})
        self.assertFalse(self.members(pos_config_ids=shop, price_max=25))
        segment = self.segment(pos_config_ids=shop)
        self.assertEqual(segment.partner_count, 1)

    def test_only_paid_posted_and_invoiced_orders_count(self):
        self.pos_order(self.anna, [(self.product_cheese, 1, 20.0)], state="draft")
        self.pos_order(self.bert, [(self.product_cheese, 1, 20.0)], state="cancel")
        self.pos_order(False, [(self.product_cheese, 1, 20.0)])
        shop = [Command.set(self.shop.ids)]
        self.assertFalse(self.members(pos_config_ids=shop))
        self.pos_order(self.anna, [(self.product_cheese, 1, 20.0)], state="done")
        self.pos_order(self.bert, [(self.product_cheese, 1, 20.0)], state="invoiced")
        self.assertEqual(
            self.members(pos_config_ids=shop), {"Anna Becker", "Bert Krause"}
        )

    def test_refunds_make_no_buyer_and_keep_the_purchase(self):
        """A refund (negative quantity) is no purchase; the purchase it refunds
        stays one, as a credit note does not undo a sale order."""
        self.pos_order(self.anna, [(self.product_cheese, 1, 20.0)])
        self.pos_order(self.anna, [(self.product_cheese, -1, 20.0)])
        self.pos_order(self.clara, [(self.product_wine, -1, 15.0)])
        self.assertEqual(
            self.members(pos_config_ids=[Command.set(self.shop.ids)]),
            {"Anna Becker"},
        )
        self.assertFalse(self.members(product_ids=[Command.set(self.product_wine.ids)]))

    def test_sale_order_settled_at_the_till_stays_a_sale_order(self):
        order = self.confirm_order(
            self.bert, [(self.product_wine, 1)], team_id=self.team_shop.id
        )
        self.pos_order(
            self.bert,
            [(self.product_wine, 1, 15.0)],
            lines_values={"sale_order_line_id": order.order_line.id},
        )
        self.assertFalse(self.members(pos_config_ids=[Command.set(self.shop.ids)]))
        self.assertEqual(
            self.members(team_ids=[Command.set(self.team_shop.ids)]), {"Bert Krause"}
        )

    def test_customer_of_the_shop_and_the_webshop_is_in_both_channels(self):
        self.shop.crm_team_id = self.env["crm.team"].create({"name": "Läden"})
        self.pos_order(self.anna, [(self.product_cheese, 1, 20.0)])
        self.confirm_order(
            self.anna, [(self.product_wine, 1)], team_id=self.team_shop.id
        )
        self.pos_order(self.bert, [(self.product_wine, 1, 15.0)])
        self.assertEqual(
            self.members(team_ids=[Command.set(self.team_shop.ids)]), {"Anna Becker"}
        )
        self.assertEqual(
            self.members(pos_config_ids=[Command.set(self.shop.ids)]),
            {"Anna Becker", "Bert Krause"},
        )
        self.assertEqual(
            self.members(team_ids=[Command.set(self.shop.crm_team_id.ids)]),
            {"Anna Becker", "Bert Krause"},
            "the shop's sales team is the channel of its POS orders",
        )
        # Shop and webshop together: nobody bought one line at both.
        self.assertFalse(
            self.members(
                pos_config_ids=[Command.set(self.shop.ids)],
                team_ids=[Command.set(self.team_shop.ids)],
            )
        )

    def test_bought_at_the_store(self):
        """A store's buyers: at its POS shops and by orders shipped from it."""
        main = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id), ("id", "!=", self.store.id)],
            limit=1,
        )
        self.pos_order(self.anna, [(self.product_cheese, 1, 20.0)])
        self.confirm_order(
            self.bert, [(self.product_wine, 1)], warehouse_id=self.store.id
        )
        self.confirm_order(self.clara, [(self.product_wine, 1)], warehouse_id=main.id)
        self.assertEqual(
            self.members(warehouse_ids=[Command.set(self.store.ids)]),
            {"Anna Becker", "Bert Krause"},
        )
        self.assertEqual(
            self.members(warehouse_ids=[Command.set(main.ids)]), {"Clara Vogel"}
        )

    def test_purchases_before_the_period_do_not_count(self):
        self.pos_order(self.anna, [(self.product_cheese, 1, 20.0)], days_ago=400)
        shop = [Command.set(self.shop.ids)]
        self.assertFalse(self.members(pos_config_ids=shop))
        self.assertEqual(
            self.members(pos_config_ids=shop, purchase_months=0), {"Anna Becker"}
        )

    def test_counts_of_many_segments_take_one_query(self):
        self.pos_order(self.anna, [(self.product_cheese, 1, 20.0)])
        segments = self.env["mkt.segment"].create(
            [
                {"name": "Shop", "pos_config_ids": [Command.set(self.shop.ids)]},
                {"name": "Store", "warehouse_ids": [Command.set(self.store.ids)]},
                {
                    "name": "Cheese",
                    "product_ids": [Command.set(self.product_cheese.ids)],
                },
            ]
        )
        segments.invalidate_recordset(["partner_count"])
        self.env.flush_all()
        with self.assertQueryCount(1):
            self.assertEqual(segments.mapped("partner_count"), [1, 1, 1])


@tagged("post_install", "-at_install", "mkt")
class TestPosSegmentsMultiCompany(PosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_south = cls.env["res.company"].create({"name": "Feinkost Süd GmbH"})
        cls.store_south = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_south.id)], limit=1
        )
        cls.shop_south = cls.create_shop(
            "Laden München", cls.store_south, company=cls.company_south
        )

    def test_other_company_purchases_do_not_count(self):
        self.pos_order(
            self.anna, [(self.product_cheese, 1, 20.0)], shop=self.shop_south
        )
        segment = self.env["mkt.segment"].create(
            {"name": "Cheese", "product_ids": [Command.set(self.product_cheese.ids)]}
        )
        self.assertFalse(segment._get_partner_ids())
        south = self.env["mkt.segment"].create(
            {
                "name": "München",
                "company_id": self.company_south.id,
                "pos_config_ids": [Command.set(self.shop_south.ids)],
            }
        )
        self.assertEqual(south._get_partner_ids(), [self.anna.id])

    def test_shops_and_stores_of_another_company_are_not_offered(self):
        segment = self.env["mkt.segment"].create({"name": "Shops"})
        for field_name, place in (
            ("pos_config_ids", self.shop_south),
            ("warehouse_ids", self.store_south),
        ):
            # The choices of the form: the field's domain on the segment.
            domain = safe_eval(
                segment._fields[field_name].domain,
                {"company_id": segment.company_id.id},
            )
            offered = self.env[place._name].search(domain)
            self.assertTrue(offered)
            self.assertNotIn(place, offered)

    def test_shop_or_store_of_another_company_is_refused(self):
        with self.assertRefused(
            ValidationError,
            r'Segment "Munich": "Bought at Point of Sale" names Laden München of '
            r"another company",
        ):
            self.env["mkt.segment"].create(
                {"name": "Munich", "pos_config_ids": [Command.set(self.shop_south.ids)]}
            )
        segment = self.env["mkt.segment"].create({"name": "Stores"})
        with self.assertRefused(ValidationError, r'"Bought at Store" names'):
            segment.warehouse_ids = self.store_south
        self.assertFalse(segment.warehouse_ids)


@tagged("post_install", "-at_install", "mkt")
class TestPosAutoSegments(PosCommon):
    def auto_segments(self):
        return self.env["mkt.segment"].search(
            [("auto_key", "=like", "pos:%"), ("company_id", "=", self.company.id)]
        ) | self.env["mkt.segment"].search(
            [("auto_key", "=like", "store:%"), ("company_id", "=", self.company.id)]
        )

    def test_one_segment_per_shop_and_store_that_sold(self):
        main = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id), ("id", "!=", self.store.id)],
            limit=1,
        )
        quiet_shop = self.create_shop("Laden Altona", main)
        order = self.pos_order(self.anna, [(self.product_cheese, 1, 20.0)])
        self.pos_order(False, [(self.product_wine, 1, 15.0)], shop=quiet_shop)
        # Sale orders alone make no store: the webshop's warehouse is none.
        self.confirm_order(self.bert, [(self.product_wine, 1)], warehouse_id=main.id)
        cron = self.env.ref("mkt_analytics.ir_cron_refresh_segments")
        cron.method_direct_trigger()
        segments = {segment.auto_key: segment for segment in self.auto_segments()}
        self.assertEqual(
            set(segments), {f"pos:{self.shop.id}", f"store:{self.store.id}"}
        )
        shop = segments[f"pos:{self.shop.id}"]
        self.assertEqual(shop.name, "Bought at point of sale: Laden Hamburg")
        self.assertEqual(shop._get_partner_ids(), [self.anna.id])
        store = segments[f"store:{self.store.id}"]
        self.assertEqual(store.name, "Bought at store: Filiale Hamburg")
        self.assertEqual(store._get_partner_ids(), [self.anna.id])
        # Safe twice; nothing sold at the shop in the last 12 months: archived.
        cron.method_direct_trigger()
        self.assertEqual(self.auto_segments(), shop | store)
        order.date_order = self.ago(400)
        cron.method_direct_trigger()
        self.assertFalse(shop.active or store.active)


@tagged("post_install", "-at_install", "mkt")
class TestPosSegmentsAccess(PosCommon):
    def test_marketing_user_works_with_shop_segments(self):
        """Marketing users see the shops of their segments and the report by
        shop without being point of sale users."""
        # Salespeople see their own orders in the sales analysis.
        self.pos_order(
            self.anna,
            [(self.product_cheese, 1, 20.0)],
            user_id=self.user_marketing.id,
        )
        env = self.env(user=self.user_marketing)
        self.assertFalse(env.user.has_group("point_of_sale.group_pos_user"))
        segment = env["mkt.segment"].create(
            {"name": "Laden", "pos_config_ids": [Command.set(self.shop.ids)]}
        )
        self.assertEqual(segment.pos_config_ids.display_name, "Laden Hamburg")
        self.assertEqual(segment.partner_count, 1)
        self.env.flush_all()
        rows = (
            env["sale.report"]
            .sudo(False)
            ._read_group([("partner_id", "=", self.anna.id)], ["pos_config_id"])
        )
        self.assertEqual([shop.display_name for (shop,) in rows], ["Laden Hamburg"])
