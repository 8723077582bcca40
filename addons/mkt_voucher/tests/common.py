from odoo.fields import Command

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.mkt_scoring.tests.common import MktCommon


class VoucherCommon(MktCommon, MockEmail):
    """Kerstin's two vouchers: 20 % from 100 EUR for the regular customers (a
    segment), and the 10 EUR welcome voucher with a shared trade fair code."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.email = "info@feinkost-welt.example.com"
        Partner = cls.env["res.partner"]
        cls.regular_a, cls.regular_b = Partner.create(
            [
                {"name": "Stammkunde Anna", "email": "anna@example.com"},
                {"name": "Stammkunde Bernd", "email": "bernd@example.com"},
            ]
        )
        cls.outsider = Partner.create(
            {"name": "Gelegenheitskunde Otto", "email": "otto@example.com"}
        )
        cls.segment = cls.env["mkt.segment"].create(
            {"name": "Regular customers", "domain": "[('name', 'ilike', 'Stammkunde')]"}
        )
        cls.source_newsletter = cls.env.ref("utm.utm_source_newsletter")
        cls.source_print = cls.env.ref("mkt_voucher.utm_source_print")
        cls.source_trade_fair = cls.env.ref("mkt_voucher.utm_source_trade_fair")
        cls.program_regular = cls.env["loyalty.program"].create(
            {
                "name": "20 % for regular customers",
                "program_type": "coupons",
                "mkt_segment_id": cls.segment.id,
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
        cls.program_welcome = cls.env["loyalty.program"].create(
            {
                "name": "10 EUR welcome voucher",
                "program_type": "coupons",
                "rule_ids": [
                    Command.create(
                        {
                            "mode": "auto",
                            "reward_point_amount": 1,
                            "reward_point_mode": "order",
                        }
                    ),
                    Command.create(
                        {"code": "MESSE10", "mkt_source_id": cls.source_trade_fair.id}
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

    @classmethod
    def make_order(cls, partner, quantity, user=None):
        """A quotation of ``quantity`` cheeses at 20 EUR (no taxes)."""
        env = cls.env(user=user) if user else cls.env
        return env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product_cheese.id,
                            "product_uom_qty": quantity,
                            "price_unit": 20.0,
                        }
                    )
                ],
            }
        )

    @classmethod
    def issue_card(cls, program, partner=None, source=None):
        return (
            cls.env["loyalty.card"]
            .with_context(loyalty_no_mail=True)
            .create(
                {
                    "program_id": program.id,
                    "partner_id": partner.id if partner else False,
                    "points": 1,
                    "mkt_source_id": source.id if source else False,
                }
            )
        )

    def apply_code(self, order, code):
        """Type a code as staff do (core's wizard) and take the offered reward."""
        status = order._try_apply_code(code)
        if "error" in status:
            return status
        for coupon, rewards in status.items():
            order._apply_program_reward(rewards[:1], coupon)
        order._update_programs_and_rewards()
        return status

    def mail_bodies_to(self, email):
        """Bodies of the mails sent to ``email`` during the mock (or, when none
        went out yet, of those queued for it)."""
        sent = [
            mail["body"]
            for mail in self._mails
            if any(email in to for to in mail["email_to"])
        ]
        return sent or [
            mail.body_html
            for mail in self._new_mails.exists()
            if email in (mail.email_to or "")
            or email in mail.recipient_ids.mapped("email")
        ]
