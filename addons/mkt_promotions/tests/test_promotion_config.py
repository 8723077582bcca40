from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import PromotionCommon


@tagged("post_install", "-at_install", "mkt")
class TestPromotionConfig(PromotionCommon):
    def test_new_action_gets_analytic_account_pricelist_and_cost_line(self):
        promotion = self.create_promotion(circulation=20000, ad_cost=30000)
        account = promotion.analytic_account_id
        self.assertEqual(
            account.plan_id, self.env.ref("mkt_promotions.analytic_plan_marketing")
        )
        self.assertEqual(account.code, "K26")
        self.assertFalse(promotion.pricelist_id.active, "never offered as a pricelist")
        self.assertEqual(promotion.ad_cost_per_piece, 1.5)
        cost = self.env["account.analytic.line"].search(
            [("mkt_promotion_id", "=", promotion.id)]
        )
        self.assertEqual(cost.amount, -30000)
        self.assertEqual(cost.account_id, account)
        promotion.ad_cost_per_piece = 2.0
        self.assertEqual(promotion.ad_cost, 40000)
        self.assertEqual(cost.amount, -40000, "the cost line follows the action")

    def test_analytic_account_is_named_without_the_code(self):
        promotion = self.create_promotion()
        account = promotion.analytic_account_id
        self.assertEqual(
            (account.name, account.display_name), ("Action K26", "[K26] Action K26")
        )
        promotion.write({"name": "Autumn catalog 2026", "code": "k26a"})
        self.assertEqual(account.display_name, "[K26A] Autumn catalog 2026")
        chosen = self.env["account.analytic.account"].create(
            {
                "name": "Trade fairs",
                "code": "TF",
                "plan_id": account.plan_id.id,
            }
        )
        promotion.analytic_account_id = chosen
        promotion.name = "Trade fair 2026"
        self.assertEqual(chosen.display_name, "[TF] Trade fairs", "chosen by hand")

    def test_codes_are_normalized_and_unique_per_company(self):
        promotion = self.create_promotion(code=" k26 ", prefix="k26-")
        self.assertEqual((promotion.code, promotion.prefix), ("K26", "K26-"))
        with self.assertRefused(ValidationError, 'Code "K26" is already used'):
            self.create_promotion(code="K26")
        other_company = self.env["res.company"].create({"name": "Other shop"})
        twin = self.create_promotion(code="K26", company_id=other_company.id)
        self.assertEqual(twin.code, "K26", "another company may use the same code")

    def test_bad_dates_and_amounts_name_the_field(self):
        with self.assertRefused(ValidationError, "Valid Until.*before.*Valid From"):
            self.create_promotion(
                date_start=self.today, date_end=self.today - timedelta(days=1)
            )
        with self.assertRefused(ValidationError, "Circulation.*negative"):
            self.create_promotion(circulation=-5)
        with self.assertRefused(ValidationError, "Advertising Cost.*negative"):
            self.create_promotion(ad_cost=-1)
        promotion = self.create_promotion()
        with self.assertRefused(ValidationError, "Special Price.*negative"):
            promotion.line_ids = [
                Command.create({"product_id": self.product_wine.id, "fixed_price": -3})
            ]
        with self.assertRefused(ValidationError, "Planned Quantity.*negative"):
            promotion.line_ids = [
                Command.create({"product_id": self.product_wine.id, "planned_qty": -3})
            ]
        self.assertFalse(promotion.line_ids, "nothing half-written")

    def test_ambiguous_prefix_and_suffix_patterns_are_refused(self):
        self.create_promotion(code="K26", prefix="K26-")
        with self.assertRefused(
            ValidationError, 'pattern "K26…".*same typed codes.*K26-…'
        ):
            self.create_promotion(code="K26B", prefix="K26")
        # a suffix-only pattern matches K26-...-F too
        with self.assertRefused(ValidationError, "same typed codes"):
            self.create_promotion(code="FLY", suffix="-F")
        # distinct prefixes, or no overlap in time, are fine
        self.create_promotion(code="WM", prefix="WM", suffix="-F")
        self.create_promotion(
            code="K25",
            prefix="K26-X",
            date_start=self.today - timedelta(days=100),
            date_end=self.today - timedelta(days=50),
        )

    def test_benefit_settings_are_checked(self):
        promotion = self.create_promotion()
        Benefit = self.env["mkt.promotion.benefit"]
        base = {"promotion_id": promotion.id}
        with self.assertRefused(ValidationError, "Pay.*lower than.*Take"):
            Benefit.create(
                dict(
                    base,
                    benefit_type="buy_n_pay_m",
                    buy_quantity=3,
                    pay_quantity=3,
                    product_ids=[Command.set(self.product_wine.ids)],
                )
            )
        with self.assertRefused(ValidationError, "tiers must increase"):
            Benefit.create(
                dict(
                    base,
                    benefit_type="gift",
                    gift_tier_ids=[
                        Command.create(
                            {
                                "sequence": 1,
                                "threshold": 100,
                                "product_id": self.product_gift_knife.id,
                            }
                        ),
                        Command.create(
                            {
                                "sequence": 2,
                                "threshold": 50,
                                "product_id": self.product_gift_apron.id,
                            }
                        ),
                    ],
                )
            )
        with self.assertRefused(ValidationError, "Discount.*greater than 0"):
            Benefit.create(dict(base, benefit_type="order_discount", discount_value=0))
        with self.assertRefused(ValidationError, "Minimum Order Value.*negative"):
            Benefit.create(dict(base, benefit_type="free_shipping", min_order_value=-1))
        with self.assertRefused(ValidationError, "Early-Bird Places.*at least 1"):
            Benefit.create(dict(base, benefit_type="earlybird", earlybird_limit=0))
        with self.assertRefused(ValidationError, "need an early-bird benefit"):
            Benefit.create(
                dict(
                    base,
                    benefit_type="order_discount",
                    discount_value=5,
                    earlybird_only=True,
                )
            )
        self.assertFalse(promotion.benefit_ids)

    def test_payment_actions_become_payment_terms(self):
        promotion = self.create_promotion()
        pause, deferral, discount = self.env["mkt.promotion.benefit"].create(
            [
                {
                    "promotion_id": promotion.id,
                    "benefit_type": "payment_term",
                    "payment_action": "pause",
                    "payment_days": 60,
                    "instalments": 3,
                },
                {
                    "promotion_id": promotion.id,
                    "benefit_type": "payment_term",
                    "payment_action": "deferral",
                    "payment_days": 30,
                },
                {
                    "promotion_id": promotion.id,
                    "benefit_type": "payment_term",
                    "payment_action": "cash_discount",
                    "cash_discount_percent": 3,
                    "cash_discount_days": 10,
                },
            ]
        )
        self.assertEqual(
            pause.payment_term_id.line_ids.mapped("nb_days"), [60, 90, 120]
        )
        self.assertAlmostEqual(
            sum(pause.payment_term_id.line_ids.mapped("value_amount")), 100
        )
        self.assertEqual(deferral.payment_term_id.line_ids.mapped("nb_days"), [60])
        term = discount.payment_term_id
        self.assertTrue(term.early_discount)
        self.assertEqual((term.discount_percentage, term.discount_days), (3, 10))
        pause.payment_days = 45
        self.assertEqual(
            pause.payment_term_id.line_ids.mapped("nb_days"), [45, 75, 105]
        )

    def test_salespeople_read_but_do_not_configure(self):
        promotion = self.create_promotion()
        self.assertEqual(promotion.with_user(self.user_salesman).code, "K26")
        with self.assertRaises(AccessError):
            promotion.with_user(self.user_salesman).write({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.env["mkt.promotion"].with_user(self.user_salesman).create(
                {"name": "X", "code": "X"}
            )
        created = (
            self.env["mkt.promotion"]
            .with_user(self.user_marketing)
            .create({"name": "By marketing", "code": "MK1"})
        )
        self.assertTrue(created.analytic_account_id and created.pricelist_id)
