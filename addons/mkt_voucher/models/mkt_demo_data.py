"""Demo story of the vouchers (Kerstin's two vouchers at Feinkost Welt).

Regular customers got a 20 % voucher (from 100 EUR) by newsletter, a good share
of them used it; the 10 EUR welcome voucher came with newsletter sign-ups and
as shared codes in the catalogue and at a trade fair, and won new customers.
Seeded and relative to today, like the rest of the demo.
"""

import random
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

VOUCHER_SEED = 20261123


class MktDemoData(models.AbstractModel):
    _inherit = "mkt.demo.data"

    @api.model
    def _generate_vouchers(self):
        # The newsletter and its codes are written in the shop's language.
        self.with_context(lang=self._demo_lang())._generate_voucher_story()

    @api.model
    def _generate_voucher_story(self):
        rng = random.Random(VOUCHER_SEED)
        today = fields.Date.context_today(self)
        products = self.env["product.product"].search(
            [("default_code", "=like", "FW-%"), ("list_price", ">=", 15)],
            order="default_code",
        )
        if not products:
            return  # the scoring demo did not run: nothing to tell
        segment = self.env["mkt.segment"].create(
            {
                "name": "Stammkunden (ab 300 EUR in 12 Monaten)",
                "purchase_months": 12,
                "revenue_rule": "at_least",
                "revenue_min": 300,
            }
        )
        regular = self._demo_regular_voucher(segment, today)
        welcome = self._demo_welcome_voucher(today)
        newsletter = self.env.ref("utm.utm_source_newsletter")

        mailing = self.env["mailing.mailing"].create(
            regular._mkt_prepare_mailing_values()
        )
        members = self.env["res.partner"].browse(segment._get_partner_ids())
        cards = regular._mkt_issue_codes(members, newsletter, mailing)
        # The newsletter went out when the voucher started.
        mailing.write({"state": "done", "sent_date": regular.date_from})
        for card in cards.filtered(lambda _card: rng.random() < 0.35):
            self._voucher_demo_order(
                card.partner_id, products, rng, today, code=card.code
            )

        self._demo_winback_voucher(today, newsletter)
        self._demo_signups(welcome, products, rng, today)
        # A code sheet for the catalogue: a few of its codes came back.
        printed = (
            self.env["mkt.voucher.print"]
            .create(
                {
                    "program_id": welcome.id,
                    "quantity": 40,
                    "source_id": self.env.ref("mkt_voucher.utm_source_print").id,
                }
            )
            ._generate_cards()
        )
        for number, card in enumerate(printed[:6]):
            partner = self.env["res.partner"].create(
                {
                    "name": f"Katalog Neukunde {number + 1}",
                    "email": f"katalog.neukunde.{number + 1}@example.com",
                    "customer_rank": 1,
                    "lang": self._demo_lang(),
                }
            )
            self._voucher_demo_order(partner, products, rng, today, code=card.code)
        for code in ("KATALOG10", "MESSE10"):
            for number in range(rng.randint(3, 6)):
                partner = self.env["res.partner"].create(
                    {
                        "name": f"{code.title()} Neukunde {number + 1}",
                        "email": f"{code.lower()}.{number + 1}@example.com",
                        "customer_rank": 1,
                        "lang": self._demo_lang(),
                    }
                )
                self._voucher_demo_order(partner, products, rng, today, code=code)

    def _demo_regular_voucher(self, segment, today):
        return self.env["loyalty.program"].create(
            {
                "name": "20 % für Stammkunden",
                "program_type": "coupons",
                "date_from": today - timedelta(days=30),
                "date_to": today + timedelta(days=60),
                "mkt_segment_id": segment.id,
                "rule_ids": [
                    Command.create(
                        {
                            "mode": "auto",
                            "minimum_amount": 100,
                            "reward_point_amount": 1,
                            "reward_point_mode": "order",
                        }
                    )
                ],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": 20,
                            "discount_mode": "percent",
                            "discount_applicability": "order",
                            "required_points": 1,
                        }
                    )
                ],
            }
        )

    def _demo_winback_voucher(self, today, newsletter):
        """The adaptive win-back voucher (named in German, like the company's
        other demo records): the more a customer is drifting away, the larger
        the discount; growing customers get none. Its newsletter went out a
        week ago, each code with the discount its customer had then."""
        classes = self.env["mkt.customer.class"].search(
            [("company_id", "=", self.env.company.id)], order="min_score desc"
        )
        segment = self.env["mkt.segment"].create(
            {
                "name": "Kunden mit Umsatztrend (Rückgewinnung)",
                "domain": repr(
                    [("mkt_trend", "!=", False), ("mkt_trend", "!=", "new")]
                ),
            }
        )
        rules = [
            {"condition": "trend", "trend": "growing", "discount_percent": 0},
            {"condition": "trend", "trend": "lapsed", "discount_percent": 25},
            {"condition": "trend", "trend": "declining", "discount_percent": 20},
            {
                "condition": "days_since_order",
                "value_from": 180,
                "discount_percent": 15,
            },
        ]
        if classes:
            rules.append(
                {
                    "condition": "customer_class",
                    "class_id": classes[0].id,
                    "discount_percent": 5,
                }
            )
        program = self.env["loyalty.program"].create(
            {
                "name": "Rückgewinnung: Wir vermissen Sie",
                "program_type": "coupons",
                "date_from": today - timedelta(days=7),
                "date_to": today + timedelta(days=53),
                "mkt_segment_id": segment.id,
                "rule_ids": [
                    Command.create(
                        {
                            "mode": "auto",
                            "minimum_amount": 50,
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
                "mkt_discount_rule_ids": [Command.create(rule) for rule in rules],
            }
        )
        # The newsletter and the reasons on the codes in the users' German.
        program = program.with_context(lang=self._demo_lang())
        mailing = self.env["mailing.mailing"].create(
            program._mkt_prepare_mailing_values()
        )
        members = self.env["res.partner"].browse(segment._get_partner_ids())
        program._mkt_issue_codes(members, newsletter, mailing)
        mailing.write({"state": "done", "sent_date": program.date_from})
        return program

    def _demo_welcome_voucher(self, today):
        program = self.env["loyalty.program"].create(
            {
                "name": "10 EUR Willkommensgutschein",
                "program_type": "coupons",
                "date_from": today - timedelta(days=45),
                "rule_ids": [
                    Command.create(
                        {
                            "mode": "auto",
                            "reward_point_amount": 1,
                            "reward_point_mode": "order",
                        }
                    ),
                    Command.create(
                        {
                            "code": "KATALOG10",
                            "mkt_source_id": self.env.ref(
                                "mkt_voucher.utm_source_print"
                            ).id,
                        }
                    ),
                    Command.create(
                        {
                            "code": "MESSE10",
                            "mkt_source_id": self.env.ref(
                                "mkt_voucher.utm_source_trade_fair"
                            ).id,
                        }
                    ),
                ],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": 10,
                            "discount_mode": "per_order",
                            "discount_applicability": "order",
                            "required_points": 1,
                        }
                    )
                ],
            }
        )
        mailing_list = self.env["mailing.list"].create({"name": "Newsletter"})
        self.env.company.write(
            {
                "mkt_welcome_program_id": program.id,
                "mkt_newsletter_list_id": mailing_list.id,
            }
        )
        return program

    def _demo_signups(self, program, products, rng, today):
        Subscription = self.env["mkt.newsletter.subscription"].with_context(
            mail_notify_force_send=False
        )
        for number in range(24):
            email = f"neukunde.{number + 1}@example.com"
            channel = "trade_fair" if number % 4 == 0 else "website"
            Subscription._subscribe(email, channel, f"192.0.2.{number + 1}")
            subscription = Subscription.search([("email_normalized", "=", email)])
            if number % 6 == 5:
                continue  # never confirmed
            subscription._confirm(ip_address=f"192.0.2.{number + 1}")
            partner = subscription.partner_id
            partner.write({"customer_rank": 1, "lang": self._demo_lang()})
            if rng.random() < 0.5:
                self._voucher_demo_order(
                    partner, products, rng, today, code=subscription.card_id.code
                )

    def _voucher_demo_order(self, partner, products, rng, today, code):
        """A confirmed order of at least 100 EUR that used ``code``."""
        lines = []
        total = 0.0
        for product in rng.sample(list(products), len(products)):
            quantity = rng.randint(1, 3)
            lines.append(
                Command.create({"product_id": product.id, "product_uom_qty": quantity})
            )
            total += product.list_price * quantity
            if total >= 120:
                break
        order = self.env["sale.order"].create(
            {"partner_id": partner.id, "order_line": lines}
        )
        status = order._try_apply_code(code)
        if "error" in status:
            # The demo must tell its story: fail loudly rather than skip.
            raise UserError(status["error"])
        for coupon, rewards in status.items():
            order._apply_program_reward(rewards[:1], coupon)
        order._update_programs_and_rewards()
        order.action_confirm()
        order.date_order = fields.Datetime.to_datetime(
            today - timedelta(days=rng.randint(1, 25))
        )
        return order
