from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import PromotionCommon


@tagged("post_install", "-at_install", "mkt")
class TestOrderEntry(PromotionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.catalog = cls.create_promotion(
            code="K26",
            prefix="K26-",
            line_ids=[
                Command.create(
                    {"product_id": cls.product_cheese.id, "fixed_price": 16.0}
                ),
                Command.create(
                    {
                        "product_id": cls.product_wine.id,
                        "price_type": "discount",
                        "discount": 20.0,
                        "min_quantity": 6,
                    }
                ),
            ],
        )
        cls.flyer = cls.create_promotion(
            code="WM",
            prefix="WM",
            suffix="-F",
            medium="flyer",
            line_ids=[
                Command.create(
                    {"product_id": cls.product_cheese.id, "fixed_price": 14.0}
                )
            ],
        )

    def test_code_prefix_and_suffix_resolve_the_action(self):
        for typed, promotion in (
            ("K26", self.catalog),
            (" k26-0815 ", self.catalog),
            ("WM-4711-F", self.flyer),
            ("wm", self.flyer),
        ):
            with self.subTest(typed=typed):
                order = self.create_order(mkt_promotion_code=typed)
                self.assertEqual(order.mkt_promotion_id, promotion)
                self.assertEqual(order.mkt_promotion_code, typed.strip().upper())

    def test_special_prices_come_from_the_action_pricelist(self):
        order = self.create_order(
            lines=[
                (self.product_cheese, 2),
                (self.product_wine, 6),
                (self.product_oil, 1),
            ]
        )
        cheese, wine, oil = order.order_line
        self.assertEqual(cheese.price_unit, 20.0)
        order.mkt_promotion_code = "K26-1"
        self.assertEqual(cheese.price_unit, 16.0)
        self.assertEqual(wine.price_subtotal, 6 * 15.0 * 0.8)
        self.assertEqual(
            oil.price_unit, 10.0, "products outside the action: list price"
        )
        # the same product costs differently in another action
        order.mkt_promotion_code = "WM-1-F"
        self.assertEqual(cheese.price_unit, 14.0)
        # under the minimum quantity there is no discount
        wine.product_uom_qty = 5
        self.assertEqual(wine.price_subtotal, 5 * 15.0)
        order.mkt_promotion_code = False
        self.assertEqual(cheese.price_unit, 20.0, "back to the standard price")
        self.assertFalse(order.mkt_promotion_id)

    def test_b2b_customer_keeps_own_pricelist_outside_the_action(self):
        wholesale = self.env["product.pricelist"].create(
            {
                "name": "Wholesale",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "percent_price": 30,
                        }
                    )
                ],
            }
        )
        self.business.property_product_pricelist = wholesale
        order = self.create_order(
            self.business,
            [(self.product_cheese, 1), (self.product_oil, 1)],
            mkt_promotion_code="K26",
        )
        self.assertEqual(order.order_line[0].price_unit, 16.0)
        self.assertAlmostEqual(order.order_line[1].price_subtotal, 7.0)

    def test_each_bad_code_has_its_own_message_and_changes_nothing(self):
        self.create_promotion(
            code="OLD",
            date_start=self.today - timedelta(days=60),
            date_end=self.today - timedelta(days=1),
        )
        self.create_promotion(
            code="SOON",
            date_start=self.today + timedelta(days=5),
            date_end=self.today + timedelta(days=40),
        )
        self.create_promotion(code="PREP", state="draft")
        order = self.create_order(mkt_promotion_code="K26")
        price = order.order_line.price_unit
        for code, message in (
            ("NOPE", 'code "NOPE" is unknown'),
            ("OLD", "has expired"),
            ("SOON", "is not valid yet: it starts on"),
            ("PREP", "has not been started yet"),
        ):
            with self.subTest(code=code), self.assertRefused(UserError, message):
                order.mkt_promotion_code = code
            order.invalidate_recordset()
            self.assertEqual(order.mkt_promotion_code, "K26")
            self.assertEqual(order.mkt_promotion_id, self.catalog)
            self.assertEqual(order.order_line.price_unit, price)

    def test_date_messages_use_the_users_date_format(self):
        self.env["res.lang"]._activate_lang("de_DE")
        old = self.create_promotion(
            code="OLD",
            date_start=self.today - timedelta(days=60),
            date_end=self.today - timedelta(days=1),
        )
        soon = self.create_promotion(code="SOON", date_start=self.today + timedelta(5))
        for promotion, date in ((old, old.date_end), (soon, soon.date_start)):
            message = promotion.with_context(lang="de_DE")._invalid_date_message(
                self.today
            )
            self.assertIn(date.strftime("%d.%m.%Y"), message)
            self.assertNotIn(date.isoformat(), message)

    def test_audience_rules(self):
        b2b = self.create_promotion(code="B2B", audience="b2b")
        b2c = self.create_promotion(code="B2C", audience="b2c")
        with self.assertRefused(UserError, "business customers only"):
            self.create_order(self.private, mkt_promotion_code="B2B")
        with self.assertRefused(UserError, "private customers only"):
            self.create_order(self.business, mkt_promotion_code="B2C")
        contact = self.env["res.partner"].create(
            {"name": "Buyer at Meyer", "parent_id": self.business.id}
        )
        self.assertEqual(
            self.create_order(contact, mkt_promotion_code="B2B").mkt_promotion_id,
            b2b,
            "a contact orders for its company",
        )
        self.assertEqual(
            self.create_order(self.private, mkt_promotion_code="B2C").mkt_promotion_id,
            b2c,
        )

    def test_segment_and_class_audience(self):
        segment = self.env["mkt.segment"].create(
            {"name": "Munich", "zip_from": "80000", "zip_to": "81999"}
        )
        self.private.zip = "80331"
        self.create_promotion(code="SEG", segment_id=segment.id)
        self.assertTrue(self.create_order(self.private, mkt_promotion_code="SEG"))
        with self.assertRefused(UserError, 'not in its segment "Munich"'):
            self.create_order(self.business, mkt_promotion_code="SEG")
        top = self.env["mkt.customer.class"].search(
            [("company_id", "=", self.company.id)], order="min_score desc", limit=1
        )
        self.create_promotion(code="TOP", class_ids=[Command.set(top.ids)])
        with self.assertRefused(UserError, "for the customer classes"):
            self.create_order(self.private, mkt_promotion_code="TOP")

    def test_partner_change_rechecks_the_audience(self):
        self.create_promotion(code="B2C", audience="b2c")
        order = self.create_order(self.private, mkt_promotion_code="B2C")
        with self.assertRefused(UserError, "private customers only"):
            order.partner_id = self.business

    def test_form_refuses_a_bad_code_with_a_warning(self):
        order = self.create_order(mkt_promotion_code="K26")
        with Form(order) as form:
            form.mkt_promotion_code = "NOPE"
            self.assertEqual(
                form.mkt_promotion_code, "K26", "the previous code is back"
            )
            form.mkt_promotion_code = "wm-1-f"
            self.assertEqual(form.mkt_promotion_id, self.flyer)
        self.assertEqual(order.mkt_promotion_id, self.flyer)
        self.assertEqual(order.order_line.price_unit, 14.0)

    def test_confirmed_orders_count_for_the_action(self):
        orders = self.create_order(mkt_promotion_code="K26") | self.create_order(
            self.business, [(self.product_wine, 6)], mkt_promotion_code="K26"
        )
        self.create_order(mkt_promotion_code="K26")  # a quotation does not count
        orders.action_confirm()
        self.catalog.circulation = 200
        self.assertEqual(self.catalog.order_count, 2)
        self.assertEqual(self.catalog.customer_count, 2)
        self.assertAlmostEqual(self.catalog.revenue, 2 * 16 + 6 * 12.0)
        self.assertAlmostEqual(self.catalog.response_rate, 1.0)
        with self.assertRefused(UserError, "cannot be changed"):
            orders[0].mkt_promotion_code = "WM"
        account = str(self.catalog.analytic_account_id.id)
        self.assertEqual(
            orders.order_line.mapped("analytic_distribution"), [{account: 100}] * 2
        )

    def test_action_expired_since_the_quotation_cannot_be_confirmed(self):
        order = self.create_order(mkt_promotion_code="K26")
        self.catalog.date_end = self.today - timedelta(days=1)
        with self.assertRefused(UserError, "has expired"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_salesperson_applies_a_code(self):
        order = self.create_order(user_id=self.user_salesman.id)
        order = order.with_user(self.user_salesman)
        order.mkt_promotion_code = "K26"
        self.assertEqual(order.order_line.price_unit, 16.0)

    def test_a_copy_has_neither_code_nor_benefits(self):
        self.catalog.benefit_ids = [
            Command.create({"benefit_type": "order_discount", "discount_value": 10})
        ]
        order = self.create_order(mkt_promotion_code="K26")
        self.assertTrue(self.benefit_lines(order))
        copy = order.copy()
        self.assertFalse(copy.mkt_promotion_code or copy.mkt_promotion_id)
        self.assertEqual(copy.order_line.product_id, self.product_cheese)
        self.assertEqual(copy.order_line.price_unit, 20.0, "the list price again")
