from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import VoucherCommon


class AdaptiveCommon(VoucherCommon):
    """Kerstin's win-back voucher: 10 % in general, more for customers who are
    drifting away, nothing for those who are buying more anyway."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Class = cls.env["mkt.customer.class"]
        cls.class_a = Class.create({"name": "Test A", "min_score": 9002})
        cls.class_b = Class.create({"name": "Test B", "min_score": 9001})
        Partner = cls.env["res.partner"]
        names = ["growing", "lapsed", "idle", "class_b", "big", "newcomer", "recent"]
        partners = Partner.create(
            [
                {"name": f"Kunde {name}", "email": f"{name}@example.com"}
                for name in names
            ]
        )
        for name, partner in zip(names, partners, strict=True):
            setattr(cls, f"customer_{name}", partner)
        cls.set_score(cls.customer_growing, cls.class_b, "growing")
        cls.set_score(cls.customer_lapsed, cls.class_b, "lapsed")
        cls.set_score(cls.customer_class_b, cls.class_b, "regular")
        cls.set_score(cls.customer_recent, cls.class_a, "regular")
        today = fields.Date.context_today(Partner)
        cls.confirmed_order(cls.customer_idle, 2, today - timedelta(days=200))
        cls.confirmed_order(cls.customer_class_b, 2, today - timedelta(days=10))
        cls.confirmed_order(cls.customer_big, 30, today - timedelta(days=20))
        # An old big order and a recent small one: the last one counts.
        cls.confirmed_order(cls.customer_recent, 40, today - timedelta(days=300))
        cls.confirmed_order(cls.customer_recent, 1, today - timedelta(days=5))

        cls.program = cls.env["loyalty.program"].create(
            {
                "name": "Win-back voucher",
                "program_type": "coupons",
                "rule_ids": [
                    Command.create(
                        {
                            "mode": "auto",
                            "reward_point_amount": 1,
                            "reward_point_mode": "order",
                        }
                    )
                ],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": 10,
                            "discount_mode": "percent",
                            "discount_applicability": "order",
                            "required_points": 1,
                        }
                    )
                ],
                "mkt_discount_rule_ids": [
                    Command.create(values)
                    for values in [
                        {"condition": "trend", "trend": "growing"},
                        {
                            "condition": "trend",
                            "trend": "lapsed",
                            "discount_percent": 25,
                        },
                        {
                            "condition": "days_since_order",
                            "value_from": 180,
                            "discount_percent": 20,
                        },
                        {
                            "condition": "customer_class",
                            "class_id": cls.class_b.id,
                            "discount_percent": 15,
                        },
                        {
                            "condition": "last_order_amount",
                            "value_from": 500,
                            "discount_percent": 12.5,
                        },
                    ]
                ],
            }
        )
        cls.rules = cls.program.mkt_discount_rule_ids

    @classmethod
    def set_score(cls, partner, customer_class, trend):
        cls.env["mkt.customer.score"].sudo().create(
            {
                "partner_id": partner.id,
                "company_id": cls.env.company.id,
                "score": customer_class.min_score,
                "class_id": customer_class.id,
                "trend": trend,
                "score_date": fields.Date.today(),
            }
        )

    @classmethod
    def confirmed_order(cls, partner, quantity, day):
        order = cls.make_order(partner, quantity)
        order.action_confirm()
        order.date_order = fields.Datetime.to_datetime(day)
        return order

    def discounts(self, partners):
        return {
            partner_id: (percent, rule)
            for partner_id, (percent, rule) in self.program._mkt_evaluate_discounts(
                partners
            ).items()
        }


@tagged("post_install", "-at_install", "mkt")
class TestAdaptiveDiscount(AdaptiveCommon):
    def test_each_condition_first_match_and_fallback(self):
        growing, lapsed, trend_rule = (
            self.customer_growing,
            self.customer_lapsed,
            self.rules[1],
        )
        result = self.discounts(
            growing
            | lapsed
            | self.customer_idle
            | self.customer_class_b
            | self.customer_big
            | self.customer_newcomer
            | self.customer_recent
        )
        expected = {
            # class B too, but the trend row comes first
            growing: (0.0, self.rules[0]),
            lapsed: (25.0, trend_rule),
            self.customer_idle: (20.0, self.rules[2]),
            self.customer_class_b: (15.0, self.rules[3]),
            self.customer_big: (12.5, self.rules[4]),
            # no rule matched: the reward's 10 %
            self.customer_newcomer: (10.0, self.rules[:0]),
            # last order 20 EUR five days ago: the big old one does not count
            self.customer_recent: (10.0, self.rules[:0]),
        }
        for partner, (percent, rule) in expected.items():
            self.assertEqual(result[partner.id], (percent, rule), partner.name)

        # Reordered (drag and drop): the class row now wins over the trend.
        self.rules[3].sequence = 1
        self.assertEqual(self.discounts(lapsed)[lapsed.id], (15.0, self.rules[3]))

    def test_number_ranges_and_any_customer_row(self):
        days = self.rules[2]
        days.write({"value_from": 100, "value_to": 150})
        idle = self.customer_idle
        self.assertEqual(self.discounts(idle)[idle.id][0], 10.0, "200 days: beyond")
        days.write({"value_from": 0, "value_to": 250})
        self.assertEqual(self.discounts(idle)[idle.id][0], 20.0)

        anyone = self.env["mkt.voucher.discount.rule"].create(
            {
                "program_id": self.program.id,
                "condition": "always",
                "discount_percent": 5,
                "sequence": 99,
            }
        )
        newcomer = self.customer_newcomer
        self.assertEqual(self.discounts(newcomer)[newcomer.id], (5.0, anyone))

    def test_contact_of_a_company_counts_as_the_company(self):
        company = self.env["res.partner"].create(
            {"name": "Feinkost Kunde GmbH", "is_company": True}
        )
        self.set_score(company, self.class_b, "lapsed")
        buyer = self.env["res.partner"].create(
            {"name": "Einkauf", "parent_id": company.id, "email": "e@example.com"}
        )
        self.assertEqual(self.discounts(buyer)[buyer.id][0], 25.0)

    def test_issued_codes_record_the_discount_and_skip_no_discount(self):
        partners = (
            self.customer_growing
            | self.customer_lapsed
            | self.customer_class_b
            | self.customer_newcomer
        )
        cards = self.program._mkt_issue_codes(partners, self.source_newsletter)
        self.assertEqual(
            cards.partner_id,
            partners - self.customer_growing,
            "growing customers get no voucher (0 % row)",
        )
        by_partner = {card.partner_id: card for card in cards}
        lapsed = by_partner[self.customer_lapsed]
        self.assertTrue(lapsed.mkt_discount_adaptive)
        self.assertEqual(lapsed.mkt_discount_percent, 25.0)
        self.assertEqual(lapsed.mkt_discount_rule_id, self.rules[1])
        self.assertEqual(lapsed.mkt_discount_reason, "Trend is Lapsed")
        newcomer = by_partner[self.customer_newcomer]
        self.assertEqual(newcomer.mkt_discount_percent, 10.0)
        self.assertFalse(newcomer.mkt_discount_rule_id)

        # Issued again: nobody gets a second code, the growing one still none.
        self.assertFalse(self.program._mkt_issue_codes(partners, self.source_print))

    def test_codes_created_elsewhere_are_evaluated_too(self):
        """Core's code generator and codes enclosed with an order go through
        the same evaluation (loyalty.card.create)."""
        wizard = self.env["loyalty.generate.wizard"].create(
            {
                "program_id": self.program.id,
                "mode": "selected",
                "customer_ids": [Command.set(self.customer_class_b.ids)],
                "points_granted": 1,
            }
        )
        wizard.generate_coupons()
        card = self.program.coupon_ids
        self.assertEqual(card.partner_id, self.customer_class_b)
        self.assertEqual(card.mkt_discount_percent, 15.0)

        anonymous = self.issue_card(self.program)
        self.assertFalse(anonymous.mkt_discount_adaptive, "no customer, no rule")

    def test_promised_discount_is_kept_and_redeemed(self):
        card = self.program._mkt_issue_codes(
            self.customer_class_b, self.source_newsletter
        )
        self.assertEqual(card.mkt_discount_percent, 15.0)
        # Afterwards the customer moves to class A and the rules change.
        score = (
            self.env["mkt.customer.score"]
            .sudo()
            .search([("partner_id", "=", self.customer_class_b.id)])
        )
        score.write({"class_id": self.class_a.id, "trend": "growing"})
        self.rules[3].discount_percent = 30
        self.rules.unlink()
        self.assertEqual(card.mkt_discount_percent, 15.0)
        self.assertEqual(card.mkt_discount_reason, "Customer class is Test B")

        order = self.make_order(self.customer_class_b, 10, user=self.user_salesman)
        status = self.apply_code(order, card.code)
        self.assertNotIn("error", status)
        reward_line = order.order_line.filtered("is_reward_line")
        self.assertAlmostEqual(reward_line.price_subtotal, -30.0, msg="15 % of 200")
        self.assertIn("15 %", reward_line.name)
        self.assertEqual(self.program.reward_ids.discount, 10, "reward untouched")

        # The order changes: core recomputes the line, still with 15 %.
        order.order_line.filtered(
            lambda line: not line.is_reward_line
        ).product_uom_qty = 20
        order._update_programs_and_rewards()
        reward_line = order.order_line.filtered("is_reward_line")
        self.assertAlmostEqual(reward_line.price_subtotal, -60.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(card.points, 0)

    def test_offered_voucher_uses_the_recorded_discount(self):
        """mkt_voucher's offer at order entry (programs of a segment) applies
        the recorded percentage with one click."""
        self.program_regular.write(
            {
                "mkt_discount_rule_ids": [
                    Command.create(
                        {
                            "condition": "customer_class",
                            "class_id": self.class_b.id,
                            "discount_percent": 30,
                        }
                    )
                ]
            }
        )
        self.set_score(self.regular_a, self.class_b, "declining")
        cards = self.program_regular._mkt_issue_codes(
            self.regular_a | self.regular_b, self.source_newsletter
        )
        self.assertEqual(
            sorted(cards.mapped("mkt_discount_percent")), [20.0, 30.0], "B: reward's"
        )
        order = self.make_order(self.regular_a, 10, user=self.user_salesman)
        self.assertTrue(order.mkt_offered_card_ids)
        self.assertIn("30 %", order.mkt_offered_voucher_text)
        order.action_mkt_apply_offered_voucher()
        reward_line = order.order_line.filtered("is_reward_line")
        self.assertAlmostEqual(reward_line.price_subtotal, -60.0, msg="30 % of 200")

    def test_a_zero_discount_code_is_not_offered_nor_accepted(self):
        card = self.issue_card(self.program, self.customer_growing)
        self.assertTrue(card.mkt_discount_adaptive)
        self.assertEqual(card.mkt_discount_percent, 0.0)
        order = self.make_order(self.customer_growing, 10)
        self.assertFalse(order.mkt_offered_card_ids)
        status = order._try_apply_code(card.code)
        self.assertIn("carries no discount", status["error"])

    def test_personal_discount_for_recommendations(self):
        other = self.program.copy({"name": "Second win-back"})
        cards = self.program._mkt_issue_codes(
            self.customer_lapsed | self.customer_class_b | self.customer_growing,
            self.source_newsletter,
        )
        better = other._mkt_issue_codes(self.customer_lapsed, self.source_print)
        better.mkt_discount_percent = 40
        expired = other._mkt_issue_codes(self.customer_class_b, self.source_print)
        expired.write({"mkt_discount_percent": 50, "expiration_date": "2000-01-01"})
        contact = self.env["res.partner"].create(
            {"name": "Kollegin", "parent_id": self.customer_class_b.id}
        )
        self.customer_class_b.is_company = True
        partners = (
            self.customer_lapsed
            | self.customer_class_b
            | self.customer_growing
            | self.customer_newcomer
            | contact
        )
        class_b_card = cards.filtered(lambda c: c.partner_id == self.customer_class_b)
        self.assertEqual(
            partners._mkt_personal_discount(),
            {
                self.customer_lapsed.id: (40.0, better.code),
                self.customer_class_b.id: (15.0, class_b_card.code),
                contact.id: (15.0, class_b_card.code),
            },
        )
        # Redeemed: no longer open.
        better.points = 0
        self.assertEqual(
            self.customer_lapsed._mkt_personal_discount()[self.customer_lapsed.id][0],
            25.0,
        )

    def test_recommendations_show_the_recorded_discount(self):
        self.program._mkt_issue_codes(self.customer_lapsed, self.source_newsletter)
        self.assertEqual(
            (
                self.customer_lapsed | self.customer_growing
            )._mkt_recommendation_discounts(),
            {self.customer_lapsed.id: 25.0},
        )
        product = self.env["product.product"].create(
            {"name": "Trüffelöl", "list_price": 40.0, "sale_ok": True}
        )
        self.env["mkt.recommendation"].create(
            [
                {
                    "partner_id": partner.id,
                    "product_id": product.id,
                    "company_id": self.env.company.id,
                    "reason": "same_category",
                    "rank": 1,
                    "computed_on": fields.Date.today(),
                }
                for partner in (self.customer_lapsed, self.customer_growing)
            ]
        )
        blocks = self.env["mkt.recommendation.engine"]._render_blocks(
            "res.partner",
            [self.customer_lapsed.id, self.customer_growing.id],
            with_discount=True,
        )
        self.assertIn("30,00", blocks[self.customer_lapsed.id].replace(".", ","))
        self.assertIn("25", blocks[self.customer_lapsed.id])
        self.assertNotIn("30,00", blocks[self.customer_growing.id].replace(".", ","))
        self.assertIn("Trüffelöl", blocks[self.customer_growing.id])

    def test_newsletter_mail_shows_code_and_discount(self):
        self.program.mkt_segment_id = self.env["mkt.segment"].create(
            {"name": "Kunden", "domain": "[('name', 'ilike', 'Kunde ')]"}
        )
        mailing = self.env["mailing.mailing"].create(
            self.program._mkt_prepare_mailing_values()
        )
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        card = self.program.coupon_ids.filtered(
            lambda c: c.partner_id == self.customer_big
        )
        self.assertEqual(card.mkt_mailing_id, mailing)
        [body] = self.mail_bodies_to("big@example.com")
        self.assertIn(card.code, body)
        self.assertIn("12.5 %", body)
        [growing_body] = self.mail_bodies_to("growing@example.com")
        self.assertNotIn("voucher code", growing_body, "no code, no code paragraph")

    def test_bad_rules_are_refused_with_program_and_rule(self):
        Rule = self.env["mkt.voucher.discount.rule"]
        cases = [
            ({"condition": "always", "discount_percent": -5}, "between 0 and 100"),
            ({"condition": "always", "discount_percent": 120}, "between 0 and 100"),
            ({"condition": "customer_class"}, "choose the customer class"),
            ({"condition": "trend"}, "choose the trend"),
            ({"condition": "days_since_order"}, 'enter a "From" or a "Below"'),
            (
                {"condition": "last_order_amount", "value_from": 50, "value_to": 20},
                '"Below" must be greater than "From"',
            ),
            ({"condition": "days_since_order", "value_from": -3}, "cannot be negative"),
        ]
        for values, message in cases:
            with self.subTest(values=values), self.assertRaises(ValidationError) as e:
                Rule.create({"program_id": self.program.id, "sequence": 50, **values})
            self.assertIn(
                'Voucher "Win-back voucher", adaptive discount rule 6', str(e.exception)
            )
            self.assertIn(message, str(e.exception))

        with self.assertRaisesRegex(ValidationError, "reward of type"):
            self.program.reward_ids.discount_mode = "per_order"

    def test_marketing_user_configures_salesman_reads(self):
        rule = self.rules[0].with_user(self.user_salesman)
        self.assertEqual(rule.condition, "trend")
        with self.assertRaises(UserError):
            rule.discount_percent = 50
        self.rules[0].with_user(self.user_marketing).discount_percent = 1
