import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import VoucherCommon

CONFIRM_LINK = re.compile(r"/mkt/newsletter/confirm/([\w-]+)")


@tagged("post_install", "-at_install", "mkt")
class TestNewsletterOptin(VoucherCommon, HttpCase):
    """Reference case 2: double opt-in sign-up with the 10 EUR welcome voucher,
    through the public routes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mailing_list = cls.env["mailing.list"].create({"name": "Newsletter"})
        cls.env.company.write(
            {
                "mkt_newsletter_list_id": cls.mailing_list.id,
                "mkt_welcome_program_id": cls.program_welcome.id,
            }
        )
        cls.Subscription = cls.env["mkt.newsletter.subscription"]

    def subscribe(self, email, **extra):
        return self.url_open(
            "/mkt/newsletter/subscribe", data={"email": email, **extra}
        )

    def confirmation_token(self, email):
        bodies = self.mail_bodies_to(email)
        self.assertEqual(len(bodies), 1, f"one confirmation mail to {email}")
        return CONFIRM_LINK.search(bodies[0]).group(1)

    def test_sign_up_confirm_and_redeem(self):
        with self.mock_mail_gateway():
            response = self.subscribe("Neu.Kunde@Example.com", channel="trade_fair")
            self.assertEqual(response.status_code, 200)
            self.assertIn("Almost done", response.text)
            subscription = self.Subscription.search(
                [("email_normalized", "=", "neu.kunde@example.com")]
            )
            self.assertEqual(subscription.state, "pending")
            self.assertEqual(subscription.source_id, self.source_trade_fair)
            self.assertEqual(subscription.request_ip, "127.0.0.1")
            self.assertFalse(subscription.partner_id)
            self.assertFalse(self.mailing_list.contact_ids, "nobody subscribed yet")
            token = self.confirmation_token("Neu.Kunde@Example.com")
            self.assertEqual(token, subscription.sudo().token)

        with self.mock_mail_gateway():
            response = self.url_open(f"/mkt/newsletter/confirm/{token}")
        self.assertEqual(response.status_code, 200)
        card = subscription.card_id
        self.assertTrue(card)
        self.assertIn("Welcome!", response.text)
        self.assertIn(card.code, response.text)
        self.assertEqual(subscription.state, "confirmed")
        self.assertTrue(subscription.confirmed_at)
        self.assertEqual(subscription.confirm_ip, "127.0.0.1")
        self.assertEqual(card.program_id, self.program_welcome)
        self.assertEqual(card.mkt_source_id, self.source_trade_fair)
        welcome = self.mail_bodies_to("Neu.Kunde@Example.com")
        self.assertEqual(len(welcome), 1)
        self.assertIn(card.code, welcome[0])

        # Consent on the contact, address on the newsletter list.
        partner = subscription.partner_id
        self.assertEqual(partner.email_normalized, "neu.kunde@example.com")
        self.assertEqual(partner.mkt_subscription_ids, subscription)
        self.assertEqual(card.partner_id, partner)
        self.assertEqual(self.mailing_list.contact_ids.email, "Neu.Kunde@Example.com")

        # The new customer orders: 10 EUR off.
        order = self.make_order(partner, 3)
        self.assertNotIn("error", self.apply_code(order, card.code))
        self.assertAlmostEqual(order.amount_untaxed, 50.0)
        order.action_confirm()
        self.assertEqual(card.points, 0)

    def test_repeated_sign_up_no_duplicate_no_second_mail(self):
        with self.mock_mail_gateway():
            self.subscribe("twice@example.com")
            self.subscribe("twice@example.com")
            self.subscribe(" TWICE@example.com ")
            self.assertEqual(len(self.mail_bodies_to("twice@example.com")), 1)
        self.assertEqual(
            self.Subscription.search_count(
                [("email_normalized", "=", "twice@example.com")]
            ),
            1,
        )

    def test_same_answer_for_known_and_unknown_addresses(self):
        self.Subscription.sudo()._subscribe("confirmed@example.com")
        self.Subscription.search(
            [("email", "=", "confirmed@example.com")]
        ).state = "confirmed"
        answers = {
            email: self.subscribe(email)
            for email in (
                "anna@example.com",
                "confirmed@example.com",
                "nobody@example.com",
            )
        }
        self.assertEqual({response.status_code for response in answers.values()}, {200})
        self.assertEqual(len({response.text for response in answers.values()}), 1)

        response = self.subscribe("not an address")
        self.assertEqual(response.status_code, 400)
        self.assertIn("not a valid e-mail address", response.text)
        self.assertEqual(self.url_open("/mkt/newsletter/subscribe").status_code, 405)

    def test_used_forged_and_expired_links_get_friendly_pages(self):
        with self.mock_mail_gateway():
            self.subscribe("link@example.com")
            token = self.confirmation_token("link@example.com")
        subscription = self.Subscription.search([("email", "=", "link@example.com")])

        record_id, expiry, signature = token.split("-")
        forged = [
            f"{record_id}-{expiry}-{'0' * len(signature)}",
            f"{record_id}-{int(expiry) + 3600}-{signature}",  # longer validity
            f"{int(record_id) + 1}-{expiry}-{signature}",
            "garbage",
        ]
        for bad_token in forged:
            response = self.url_open(f"/mkt/newsletter/confirm/{bad_token}")
            self.assertEqual(response.status_code, 404, bad_token)
            self.assertIn("This link is not valid", response.text)
        self.assertEqual(subscription.state, "pending")

        self.assertEqual(
            self.url_open(f"/mkt/newsletter/confirm/{token}").status_code, 200
        )
        response = self.url_open(f"/mkt/newsletter/confirm/{token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Already confirmed", response.text)
        self.assertEqual(len(self.program_welcome.coupon_ids), 1, "one voucher only")

    def test_expired_link_and_new_sign_up(self):
        with (
            freeze_time(fields.Datetime.now() - timedelta(days=3)),
            self.mock_mail_gateway(),
        ):
            self.subscribe("late@example.com")
            old_token = self.confirmation_token("late@example.com")
        response = self.url_open(f"/mkt/newsletter/confirm/{old_token}")
        self.assertEqual(response.status_code, 410)
        self.assertIn("This link has expired", response.text)
        subscription = self.Subscription.search([("email", "=", "late@example.com")])
        self.assertEqual(subscription.state, "pending")

        # Signing up again sends a new link; the old one stays dead.
        with self.mock_mail_gateway():
            self.subscribe("late@example.com")
            new_token = self.confirmation_token("late@example.com")
        self.assertNotEqual(new_token, old_token)
        self.assertEqual(
            self.url_open(f"/mkt/newsletter/confirm/{old_token}").status_code, 404
        )
        self.assertEqual(
            self.url_open(f"/mkt/newsletter/confirm/{new_token}").status_code, 200
        )
        self.assertEqual(subscription.state, "confirmed")

    def test_unconfirmed_sign_ups_are_deleted_after_expiry(self):
        with freeze_time(fields.Datetime.now() - timedelta(days=40)):
            self.Subscription.sudo()._subscribe("gone@example.com")
        self.Subscription.sudo()._subscribe("fresh@example.com")
        self.env.ref(
            "mkt_voucher.ir_cron_delete_expired_subscriptions"
        ).method_direct_trigger()
        self.assertEqual(
            self.Subscription.search([("email", "like", "@example.com")]).mapped(
                "email"
            ),
            ["fresh@example.com"],
        )

    def test_shared_trade_fair_code_without_usage_limit(self):
        first, second = self.env["res.partner"].create(
            [{"name": "Messebesucher 1"}, {"name": "Messebesucher 2"}]
        )
        for partner in (first, second):
            order = self.make_order(partner, 2)
            self.assertNotIn("error", self.apply_code(order, "MESSE10"))
            self.assertAlmostEqual(order.amount_untaxed, 30.0)
            self.assertEqual(order.source_id, self.source_trade_fair)
            order.action_confirm()
            self.assertEqual(order.state, "sale")

    def test_sign_ups_from_one_address_are_limited(self):
        with self.mock_mail_gateway():
            answers = {self.subscribe(f"bulk{n}@example.com").text for n in range(11)}
            self.assertEqual(len(answers), 1, "the answer does not change")
            self.assertEqual(len(self.mail_bodies_to("bulk9@example.com")), 1)
            self.assertFalse(self.mail_bodies_to("bulk10@example.com"))
        self.assertFalse(
            self.Subscription.search([("email", "=", "bulk10@example.com")])
        )
