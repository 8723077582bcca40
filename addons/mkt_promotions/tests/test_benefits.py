from odoo import Command
from odoo.tests import tagged

from .common import PromotionCommon


@tagged("post_install", "-at_install", "mkt")
class TestBenefits(PromotionCommon):
    def promotion_with(self, *benefits, **values):
        return self.create_promotion(
            benefit_ids=[Command.create(benefit) for benefit in benefits], **values
        )

    def test_order_discount_percent_per_tax_and_minimum(self):
        promotion = self.promotion_with(
            {
                "benefit_type": "order_discount",
                "discount_value": 10,
                "min_order_value": 100,
            }
        )
        # 2 x 20 cheese (7 %) + 4 x 15 wine (19 %): 42.80 + 71.40 = 114.20 gross
        order = self.create_order(
            lines=[(self.product_cheese, 2), (self.product_wine, 4)],
            mkt_promotion_code="K26",
        )
        discounts = self.benefit_lines(order)
        self.assertEqual(len(discounts), 2, "one discount line per VAT rate")
        by_tax = {line.tax_id: line.price_subtotal for line in discounts}
        self.assertAlmostEqual(by_tax[self.tax_7], -4.0)
        self.assertAlmostEqual(by_tax[self.tax_19], -6.0)
        self.assertAlmostEqual(order.amount_untaxed, 100 - 10)
        self.assertIn("K26", discounts[0].name)
        self.assertEqual(discounts.mkt_benefit_id, promotion.benefit_ids)
        # below the minimum the discount disappears; above, it comes back
        order.order_line.filtered(
            lambda line: line.product_id == self.product_wine
        ).product_uom_qty = 1
        self.assertFalse(self.benefit_lines(order))
        order.write(
            {
                "order_line": [
                    Command.create(
                        {"product_id": self.product_wine.id, "product_uom_qty": 5}
                    )
                ]
            }
        )
        self.assertEqual(len(self.benefit_lines(order)), 2)
        order.mkt_promotion_code = False
        self.assertFalse(
            self.benefit_lines(order), "removing the code removes benefits"
        )

    def test_order_discount_fixed_amount(self):
        self.promotion_with(
            {
                "benefit_type": "order_discount",
                "discount_mode": "fixed",
                "discount_value": 5,
            }
        )
        order = self.create_order(
            lines=[(self.product_cheese, 1)], mkt_promotion_code="K26"
        )
        self.assertAlmostEqual(order.amount_total, 21.40 - 5.0)

    def test_free_shipping_from_minimum_and_special_shipping_price(self):
        self.promotion_with({"benefit_type": "free_shipping", "min_order_value": 50})
        self.promotion_with(
            {"benefit_type": "shipping_price", "shipping_price": 1.95},
            code="SHIP",
        )
        order = self.create_order(lines=[(self.product_cheese, 1)])
        order.set_delivery_line(self.carrier, 4.95)
        delivery = order.order_line.filtered("is_delivery")
        order.mkt_promotion_code = "K26"
        self.assertEqual(delivery.price_unit, 4.95, "21.40 is below the minimum")
        order.order_line.filtered(
            lambda line: line.product_id == self.product_cheese
        ).product_uom_qty = 3
        self.assertEqual(delivery.price_unit, 0.0)
        self.assertIn("K26", delivery.name)
        # through the standard shipping wizard too
        rate = self.carrier.rate_shipment(order)
        self.assertEqual(rate["price"], 0.0)
        self.assertIn("Free shipping", rate["warning_message"])
        order.mkt_promotion_code = "SHIP"
        self.assertEqual(delivery.price_unit, 1.95)
        order.mkt_promotion_code = False
        self.assertEqual(delivery.price_unit, 4.95)

    def test_shipping_flatrate_as_delivery_method(self):
        flatrate = self.env["product.product"].create(
            {
                "name": "Shipping flat rate 12 months",
                "type": "service",
                "list_price": 19.90,
                "mkt_flatrate_months": 12,
            }
        )
        carrier = self.env["delivery.carrier"].create(
            {
                "name": "Parcel with flat rate",
                "delivery_type": "mkt_flatrate",
                "product_id": self.delivery_product.id,
                "fixed_price": 4.95,
                "mkt_flatrate_free_over": 30,
                "mkt_flatrate_surcharge": 2.5,
            }
        )
        self.promotion_with(
            {
                "benefit_type": "shipping_flatrate",
                "flatrate_product_id": flatrate.id,
                "flatrate_price": 9.90,
            }
        )
        self.assertEqual(carrier.rate_shipment(self.create_order())["price"], 4.95)
        order = self.create_order(
            lines=[(self.product_cheese, 1)], mkt_promotion_code="K26"
        )
        line = self.benefit_lines(order)
        self.assertEqual((line.product_id, line.price_unit), (flatrate, 9.90))
        self.assertEqual(carrier.rate_shipment(order)["price"], 2.5, "small order")
        order.action_confirm()
        running = self.env["mkt.shipping.flatrate"].search(
            [("partner_id", "=", self.private.id)]
        )
        self.assertEqual(running.date_start, self.today)
        self.assertEqual(
            (running.date_end - running.date_start).days in (364, 365), True
        )
        # a later order of the customer, without any code
        later = self.create_order(lines=[(self.product_cheese, 2)])
        self.assertEqual(
            carrier.rate_shipment(later)["price"], 0.0, "42.80 is above 30"
        )
        other = self.create_order(self.business, [(self.product_cheese, 2)])
        self.assertEqual(carrier.rate_shipment(other)["price"], 4.95)

    def test_payment_action_goes_to_order_and_invoice(self):
        promotion = self.promotion_with(
            {
                "benefit_type": "payment_term",
                "payment_action": "pause",
                "payment_days": 90,
            }
        )
        term = promotion.benefit_ids.payment_term_id
        order = self.create_order(mkt_promotion_code="K26")
        self.assertEqual(order.payment_term_id, term)
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertEqual(invoice.invoice_payment_term_id, term)
        other = self.create_order(mkt_promotion_code="K26")
        other.mkt_promotion_code = False
        self.assertEqual(other.payment_term_id, self.private.property_payment_term_id)

    def test_gift_best_tier_or_all_tiers(self):
        promotion = self.promotion_with(
            {
                "benefit_type": "gift",
                "gift_tier_ids": [
                    Command.create(
                        {
                            "sequence": 1,
                            "threshold": 30,
                            "product_id": self.product_gift_knife.id,
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 2,
                            "threshold": 80,
                            "product_id": self.product_gift_apron.id,
                        }
                    ),
                ],
            }
        )
        order = self.create_order(
            lines=[(self.product_cheese, 1)], mkt_promotion_code="K26"
        )
        self.assertFalse(self.benefit_lines(order), "21.40 reaches no tier")
        order.order_line.product_uom_qty = 2
        gift = self.benefit_lines(order)
        self.assertEqual(gift.product_id, self.product_gift_knife)
        self.assertEqual(
            (gift.price_unit, gift.price_total, gift.product_uom_qty), (0, 0, 1)
        )
        self.assertEqual(gift.product_id.type, "consu", "a real article that ships")
        order.order_line.filtered(
            lambda line: not line.mkt_benefit_id
        ).product_uom_qty = 4
        self.assertEqual(self.benefit_lines(order).product_id, self.product_gift_apron)
        promotion.benefit_ids.gift_all_tiers = True
        order.order_line.filtered(
            lambda line: not line.mkt_benefit_id
        ).product_uom_qty = 5
        self.assertEqual(
            self.benefit_lines(order).product_id,
            self.product_gift_knife | self.product_gift_apron,
        )

    def test_gift_by_number_of_lines_and_by_medium_value(self):
        promotion = self.promotion_with(
            {
                "benefit_type": "gift",
                "gift_basis": "line_count",
                "gift_tier_ids": [
                    Command.create(
                        {"threshold": 3, "product_id": self.product_gift_knife.id}
                    )
                ],
            }
        )
        order = self.create_order(
            lines=[(self.product_cheese, 1), (self.product_wine, 1)],
            mkt_promotion_code="K26",
        )
        self.assertFalse(self.benefit_lines(order))
        order.write(
            {"order_line": [Command.create({"product_id": self.product_oil.id})]}
        )
        self.assertEqual(self.benefit_lines(order).product_id, self.product_gift_knife)
        promotion.write({"circulation": 1000, "ad_cost": 5000})  # 5 per piece
        promotion.benefit_ids.write({"gift_basis": "medium_value"})
        promotion.benefit_ids.gift_tier_ids.threshold = 4
        order.order_line[0].product_uom_qty = 2
        self.assertEqual(self.benefit_lines(order).product_id, self.product_gift_knife)

    def test_take_three_pay_two_cheapest_free_repeats(self):
        self.promotion_with(
            {
                "benefit_type": "buy_n_pay_m",
                "buy_quantity": 3,
                "pay_quantity": 2,
                "product_ids": [
                    Command.set((self.product_wine | self.product_oil).ids)
                ],
            }
        )
        order = self.create_order(
            lines=[(self.product_wine, 2), (self.product_oil, 1)],
            mkt_promotion_code="K26",
        )
        free = self.benefit_lines(order)
        self.assertEqual(free.price_unit, -10.0, "the cheapest unit (oil) is free")
        self.assertEqual(free.tax_id, self.tax_7, "with the tax of the free article")
        order.order_line.filtered(
            lambda line: line.product_id == self.product_wine
        ).product_uom_qty = 5
        # 6 units: two free, the oil (10) and one wine (15)
        self.assertAlmostEqual(
            sum(self.benefit_lines(order).mapped("price_unit")), -25.0
        )
        order.order_line.filtered(
            lambda line: line.product_id == self.product_wine
        ).product_uom_qty = 1
        self.assertFalse(self.benefit_lines(order))

    def test_voucher_issued_on_confirmation(self):
        program = self.env["loyalty.program"].create(
            {
                "name": "5 EUR for the next order",
                "program_type": "coupons",
                "trigger": "with_code",
                "applies_on": "current",
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": 5,
                            "discount_mode": "per_order",
                        }
                    )
                ],
            }
        )
        self.promotion_with(
            {"benefit_type": "voucher", "loyalty_program_id": program.id}
        )
        order = self.create_order(mkt_promotion_code="K26")
        note = self.benefit_lines(order)
        self.assertEqual(note.display_type, "line_note")
        self.assertFalse(order.mkt_voucher_card_ids)
        order.action_confirm()
        card = order.mkt_voucher_card_ids
        self.assertEqual(
            (card.program_id, card.partner_id, card.points), (program, self.private, 1)
        )
        self.assertIn(card.code, order.message_ids[0].body)

    def test_all_benefits_combined_and_recomputed_without_churn(self):
        self.promotion_with(
            {"benefit_type": "order_discount", "discount_value": 5},
            {"benefit_type": "free_shipping"},
            {
                "benefit_type": "gift",
                "gift_tier_ids": [
                    Command.create(
                        {"threshold": 1, "product_id": self.product_gift_knife.id}
                    )
                ],
            },
            {
                "benefit_type": "payment_term",
                "payment_action": "deferral",
                "payment_days": 14,
            },
        )
        order = self.create_order(
            lines=[(self.product_cheese, 3)], mkt_promotion_code="K26"
        )
        order.set_delivery_line(self.carrier, 4.95)
        order.write({})
        lines_before = self.benefit_lines(order)
        self.assertEqual(len(lines_before), 3, "discount, gift, free shipping")
        order.order_line.filtered(
            lambda line: line.product_id == self.product_cheese
        ).product_uom_qty = 4
        self.assertEqual(self.benefit_lines(order), lines_before, "updated in place")
        self.assertAlmostEqual(
            self.benefit_lines(order)
            .filtered(lambda line: line.product_id.name == "Promotion discount")
            .price_unit,
            -4.0,
        )
