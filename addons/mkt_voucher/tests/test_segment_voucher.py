from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import VoucherCommon


@tagged("post_install", "-at_install", "mkt")
class TestSegmentVoucher(VoucherCommon):
    """Reference case 1: 20 % from 100 EUR for the customers of a segment,
    sent with a newsletter, offered at order entry."""

    def send_newsletter(self, program, extra_recipients=None):
        action = program.action_mkt_send_mailing()
        mailing = self.env["mailing.mailing"].browse(action["res_id"])
        if extra_recipients:
            # A broader audience than the segment: only members get a code.
            mailing.mailing_domain = repr(
                [
                    "|",
                    ("mkt_segment_id", "=", self.segment.id),
                    ("id", "in", extra_recipients.ids),
                ]
            )
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        return mailing

    def test_newsletter_gives_each_member_a_personal_code(self):
        self.assertFalse(self.program_regular.coupon_ids, "no code before sending")
        mailing = self.send_newsletter(self.program_regular, self.outsider)

        cards = self.program_regular.coupon_ids
        self.assertEqual(cards.partner_id, self.regular_a | self.regular_b)
        self.assertEqual(len(cards), 2, "one single-use code per member")
        self.assertEqual(set(cards.mapped("points")), {1})
        self.assertEqual(cards.mkt_source_id, self.source_newsletter)
        self.assertEqual(cards.mkt_mailing_id, mailing)
        for card in cards:
            bodies = self.mail_bodies_to(card.partner_id.email)
            self.assertEqual(len(bodies), 1, card.partner_id.name)
            self.assertIn(card.code, bodies[0])
        other_code = (cards - cards[0])[0].code
        self.assertNotIn(other_code, self.mail_bodies_to(cards[0].partner_id.email)[0])
        outsider_bodies = self.mail_bodies_to(self.outsider.email)
        self.assertEqual(len(outsider_bodies), 1, "the outsider gets the newsletter")
        self.assertFalse(any(card.code in outsider_bodies[0] for card in cards))

        # Sent again (e.g. to late additions): nobody gets a second code.
        self.program_regular._mkt_issue_codes(
            self.regular_a | self.regular_b, self.source_newsletter
        )
        self.assertEqual(len(self.program_regular.coupon_ids), 2)

    def test_offered_when_the_order_reaches_the_minimum(self):
        self.send_newsletter(self.program_regular)
        card = self.program_regular.coupon_ids.filtered(
            lambda c: c.partner_id == self.regular_a
        )
        order = self.make_order(self.regular_a, 4, user=self.user_salesman)
        self.assertFalse(order.mkt_offered_card_ids, "80 EUR: below the minimum")

        order.order_line.product_uom_qty = 6
        self.assertEqual(order.mkt_offered_card_ids, card.with_user(self.user_salesman))
        self.assertIn(card.code, order.mkt_offered_voucher_text)

        order.action_mkt_apply_offered_voucher()  # one click
        reward_line = order.order_line.filtered("is_reward_line")
        self.assertAlmostEqual(reward_line.price_subtotal, -24.0)
        self.assertEqual(reward_line.coupon_id, card)
        self.assertFalse(order.mkt_offered_card_ids, "applied, so no longer offered")
        self.assertEqual(order.source_id, self.source_newsletter)

        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(card.points, 0, "single use: spent")
        other_order = self.make_order(self.regular_a, 6)
        self.assertFalse(other_order.mkt_offered_card_ids)
        self.assertIn("error", other_order._try_apply_code(card.code))

    def test_not_offered_nor_accepted_outside_the_segment(self):
        self.send_newsletter(self.program_regular)
        order = self.make_order(self.outsider, 10)
        self.assertFalse(order.mkt_offered_card_ids)

        member_code = self.program_regular.coupon_ids[0].code
        status = order._try_apply_code(member_code)
        self.assertIn("issued to another customer", status["error"])

        # A printed code without owner: the segment still decides.
        printed = self.issue_card(self.program_regular, source=self.source_print)
        status = order._try_apply_code(printed.code)
        self.assertEqual(
            status["error"],
            'The voucher "20 % for regular customers" is reserved for the customers '
            'of the segment "Regular customers": Gelegenheitskunde Otto is not one '
            "of them.",
        )
        self.assertFalse(order.order_line.filtered("is_reward_line"))

    def test_minimum_not_reached_is_explained(self):
        card = self.issue_card(self.program_regular, self.regular_b)
        order = self.make_order(self.regular_b, 2)
        status = order._try_apply_code(card.code)
        self.assertIn("A minimum of 100", status["error"])

    def test_membership_is_evaluated_when_the_order_is_entered(self):
        card = self.issue_card(self.program_regular, self.regular_b)
        order = self.make_order(self.regular_b, 6)
        self.assertEqual(order.mkt_offered_card_ids, card)
        self.regular_b.name = "Bernd (former regular)"  # leaves the segment
        order.invalidate_recordset(["mkt_offered_card_ids"])
        self.assertFalse(order.mkt_offered_card_ids)
        with self.assertRaises(UserError):
            order.action_mkt_apply_offered_voucher()

    def test_applied_voucher_leaves_when_the_customer_changes(self):
        card = self.issue_card(self.program_regular, self.regular_a)
        order = self.make_order(self.regular_a, 6)
        order.action_mkt_apply_offered_voucher()
        self.assertTrue(order.order_line.filtered("is_reward_line"))
        order.partner_id = self.outsider
        order._update_programs_and_rewards()
        self.assertFalse(order.order_line.filtered("is_reward_line"))
        self.assertEqual(card.points, 1)

    def test_run_again_after_three_months(self):
        today = fields.Date.today()
        self.program_regular.write(
            {
                "date_from": today - timedelta(days=100),
                "date_to": today - timedelta(days=10),
            }
        )
        first_mailing = self.send_newsletter(self.program_regular)
        newcomer = self.env["res.partner"].create(
            {"name": "Stammkunde Clara", "email": "clara@example.com"}
        )

        with self.mock_mail_gateway():
            action = self.program_regular.action_mkt_run_again()
            new_program = self.env["loyalty.program"].browse(action["res_id"])
            mailing = new_program.mkt_mailing_ids
            self.assertEqual(mailing.state, "in_queue")
            self.env["mailing.mailing"]._process_mass_mailing_queue()

        self.assertNotEqual(new_program, self.program_regular)
        self.assertEqual(new_program.mkt_previous_program_id, self.program_regular)
        self.assertEqual(new_program.mkt_segment_id, self.segment)
        self.assertEqual((new_program.date_from, new_program.date_to),
                         (today, today + timedelta(days=90)))  # fmt: skip
        self.assertEqual(new_program.rule_ids.minimum_amount, 100)
        self.assertEqual(new_program.reward_ids.discount, 20)
        self.assertEqual(mailing.subject, first_mailing.subject)
        self.assertEqual(mailing.state, "done")
        cards = new_program.coupon_ids
        self.assertEqual(cards.partner_id, self.regular_a | self.regular_b | newcomer)
        self.assertIn(
            cards.filtered(lambda c: c.partner_id == newcomer).code,
            self.mail_bodies_to("clara@example.com")[0],
        )
        self.assertEqual(len(self.program_regular.coupon_ids), 2, "first run intact")

    def test_bad_input(self):
        self.program_regular.mkt_segment_id = False
        with self.assertRaisesRegex(UserError, "Customer Segment"):
            self.program_regular.action_mkt_send_mailing()
        with self.assertRaisesRegex(ValidationError, "must be sent to contacts"):
            self.env["mailing.mailing"].create(
                {
                    "subject": "To a list",
                    "mailing_model_id": self.env["ir.model"]._get_id("mailing.list"),
                    "mkt_voucher_program_id": self.program_welcome.id,
                }
            )


@tagged("post_install", "-at_install", "mkt")
class TestWrongCodes(VoucherCommon):
    def test_repeated_wrong_codes_are_throttled(self):
        order = self.make_order(self.regular_a, 6, user=self.user_salesman)
        for attempt in range(5):
            status = order._try_apply_code(f"WRONG{attempt}")
            self.assertTrue(status.get("not_found"))
        with self.assertRaisesRegex(UserError, "Too many wrong voucher codes"):
            order._try_apply_code("WRONG5")
        card = self.issue_card(self.program_regular, self.regular_a)
        with self.assertRaisesRegex(UserError, "Too many wrong voucher codes"):
            order._try_apply_code(card.code)

        # Same session (here: the same user) on another order: still paused.
        other = self.make_order(self.regular_b, 6, user=self.user_salesman)
        with self.assertRaisesRegex(UserError, "Too many wrong voucher codes"):
            other._try_apply_code("WRONG6")

        # Somebody else, elsewhere, is not affected.
        third = self.make_order(self.regular_a, 6, user=self.user_marketing)
        self.assertNotIn("error", third._try_apply_code(card.code))

    def test_the_pause_ends(self):
        order = self.make_order(self.regular_a, 6)
        for attempt in range(5):
            order._try_apply_code(f"WRONG{attempt}")
        attempts = self.env["mkt.voucher.code.attempt"].search(
            [("order_id", "=", order.id)]
        )
        self.assertEqual(len(attempts), 5)
        self.env.cr.execute(
            "UPDATE mkt_voucher_code_attempt SET create_date = now() - interval '1 hour' "
            "WHERE id = ANY(%s)",
            [attempts.ids],
        )
        self.assertTrue(order._try_apply_code("WRONG9").get("not_found"))
