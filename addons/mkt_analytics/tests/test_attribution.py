from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AnalyticsCommon


@tagged("post_install", "-at_install", "mkt")
class TestAttribution(AnalyticsCommon):
    def test_last_touch_is_the_default_and_counts_the_order_once(self):
        self.add_trace(self.mailing_autumn, self.anna, sent=20, clicked=15)
        self.add_trace(self.mailing_advent, self.anna, sent=6, clicked=3)
        order = self.confirm_order(self.anna, [(self.product_cheese, 2)])
        rows = self.attribution(order)
        self.assertEqual(rows.mailing_id, self.mailing_advent)
        self.assertEqual(rows.rule, "last")
        self.assertEqual(rows.weight, 1)
        self.assertEqual(rows.order_value, 40)
        self.assertEqual(rows.revenue, 40)
        self.assertTrue(rows.clicked)
        self.assertEqual(rows.partner_id, self.anna)

    def test_first_touch_and_linear_rules_from_settings(self):
        self.add_trace(self.mailing_autumn, self.anna, sent=20, clicked=15)
        self.add_trace(self.mailing_advent, self.anna, sent=6, clicked=3)
        order = self.confirm_order(self.anna, [(self.product_cheese, 2)])
        self.set_rule("first")
        rows = self.attribution(order)
        self.assertEqual(rows.mailing_id, self.mailing_autumn)
        self.assertEqual((rows.rule, rows.weight, rows.revenue), ("first", 1, 40))
        self.set_rule("linear")
        rows = self.attribution(order)
        self.assertEqual(rows.mailing_id, self.mailing_autumn | self.mailing_advent)
        self.assertEqual(rows.mapped("weight"), [0.5, 0.5])
        self.assertEqual(sum(rows.mapped("revenue")), 40)

    def test_mail_event_that_counts(self):
        self.add_trace(self.mailing_autumn, self.bert, sent=8, opened=4)
        self.add_trace(self.mailing_advent, self.bert, sent=2)
        order = self.confirm_order(self.bert)
        self.assertFalse(self.attribution(order), "nothing clicked")
        self.set_rule(event="opened")
        self.assertEqual(self.attribution(order).mailing_id, self.mailing_autumn)
        self.set_rule(event="received")
        self.assertEqual(self.attribution(order).mailing_id, self.mailing_advent)

    def test_touch_window(self):
        self.add_trace(self.mailing_autumn, self.anna, sent=45, clicked=40)
        order = self.confirm_order(self.anna)
        self.assertFalse(self.attribution(order), "outside the 30 days")
        self.set_rule(window=60)
        self.assertEqual(self.attribution(order).mailing_id, self.mailing_autumn)

    def test_clicks_after_the_order_do_not_count(self):
        trace = self.add_trace(self.mailing_autumn, self.anna, sent=5)
        order = self.confirm_order(self.anna)
        trace.links_click_datetime = self.ago(-1)
        self.env["mkt.attribution"]._attribute_orders(order.ids)
        self.assertFalse(self.attribution(order))

    def test_mail_to_a_contact_person_counts_for_the_company(self):
        shop = self.env["res.partner"].create(
            {"name": "Feinkost Lange", "is_company": True, "customer_rank": 1}
        )
        buyer = self.env["res.partner"].create(
            {"name": "Jan Lange", "parent_id": shop.id, "email": "jan@example.com"}
        )
        self.add_trace(self.mailing_autumn, buyer, sent=5, clicked=2)
        order = self.confirm_order(shop)
        rows = self.attribution(order)
        self.assertEqual(rows.mailing_id, self.mailing_autumn)
        self.assertEqual(rows.partner_id, shop)

    def test_mailing_list_contact_matched_by_email(self):
        contact = self.env["mailing.contact"].create(
            {"name": "Clara", "email": "clara@example.com"}
        )
        self.env["mailing.trace"].create(
            {
                "mass_mailing_id": self.mailing_autumn.id,
                "model": "mailing.contact",
                "res_id": contact.id,
                "email": "clara@example.com",
                "trace_status": "open",
                "sent_datetime": self.ago(5),
                "links_click_datetime": self.ago(1),
            }
        )
        order = self.confirm_order(self.clara)
        self.assertEqual(self.attribution(order).mailing_id, self.mailing_autumn)

    def test_order_through_the_mailing_link(self):
        order = self.create_order(
            partner=self.bert, source_id=self.mailing_advent.source_id.id
        )
        order.action_confirm()
        rows = self.attribution(order)
        self.assertEqual(rows.mailing_id, self.mailing_advent)
        self.assertFalse(rows.mailing_trace_id)
        self.assertTrue(rows.clicked)

    def test_link_and_trace_of_one_mailing_are_one_touch(self):
        trace = self.add_trace(self.mailing_advent, self.bert, sent=3, clicked=1)
        order = self.create_order(
            partner=self.bert, source_id=self.mailing_advent.source_id.id
        )
        order.action_confirm()
        self.set_rule("linear")
        rows = self.attribution(order)
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.weight, 1)
        # The link's touch is at the order, later than the click: it is kept.
        self.assertFalse(rows.mailing_trace_id)
        self.assertNotEqual(rows.touch_date, trace.links_click_datetime)

    def test_promotion_code_is_the_last_touch(self):
        promotion = self.create_promotion(code="K26")
        self.add_trace(self.mailing_autumn, self.anna, sent=6, clicked=3)
        order = self.confirm_order(self.anna, mkt_promotion_code="K26")
        self.assertEqual(order.mkt_promotion_id, promotion)
        rows = self.attribution(order)
        self.assertEqual((rows.touch_kind, rows.promotion_id), ("promotion", promotion))
        self.set_rule("first")
        self.assertEqual(self.attribution(order).mailing_id, self.mailing_autumn)

    def test_voucher_redeemed_on_the_order(self):
        program = self.env["loyalty.program"].create(
            {
                "name": "Welcome voucher",
                "program_type": "coupons",
                "trigger": "with_code",
                "reward_ids": [(0, 0, {"reward_type": "discount", "discount": 10})],
            }
        )
        order = self.create_order(partner=self.anna)
        reward = program.reward_ids
        order.order_line = [
            self.line(reward.discount_line_product_id, 1),
        ]
        order.order_line[-1:].write({"reward_id": reward.id, "price_unit": -4})
        order.action_confirm()
        rows = self.attribution(order)
        self.assertEqual((rows.touch_kind, rows.program_id), ("voucher", program))
        self.assertEqual(rows.order_value, 36)
        # The voucher's cost is the discount it granted on confirmed orders.
        unconfirmed = self.create_order(partner=self.bert)
        unconfirmed.order_line = [self.line(reward.discount_line_product_id, 1)]
        unconfirmed.order_line[-1:].write({"reward_id": reward.id, "price_unit": -7})
        self.env.flush_all()
        report = self.env["mkt.performance.report"].search(
            [("touch_kind", "=", "voucher"), ("program_id", "=", program.id)]
        )
        self.assertEqual((report.revenue, report.cost), (36, 4))
        self.assertAlmostEqual(report.roi, (36 - 4) / 4)

    def test_cancelled_order_loses_its_attribution(self):
        self.add_trace(self.mailing_autumn, self.anna, sent=6, clicked=3)
        order = self.confirm_order(self.anna)
        self.assertTrue(self.attribution(order))
        order._action_cancel()
        self.assertFalse(self.attribution(order))
        order.action_draft()
        order.action_confirm()
        self.assertTrue(self.attribution(order))

    def test_refund_lowers_the_order_value(self):
        self.add_trace(self.mailing_autumn, self.anna, sent=6, clicked=3)
        order = self.confirm_order(self.anna, [(self.product_cheese, 4)])
        self.assertEqual(self.attribution(order).order_value, 80)
        self.invoice_and_refund(order, share=0.25)
        rows = self.attribution(order)
        self.assertEqual(rows.order_value, 60)
        self.assertEqual(rows.revenue, 60)

    def test_no_order_counted_twice_under_any_rule(self):
        promotion = self.create_promotion(code="K26")
        for partner in (self.anna, self.bert):
            self.add_trace(self.mailing_autumn, partner, sent=20, clicked=15)
            self.add_trace(self.mailing_advent, partner, sent=6, opened=4, clicked=3)
        orders = self.confirm_order(self.anna, mkt_promotion_code="K26")
        orders |= self.confirm_order(self.bert, [(self.product_wine, 3)])
        self.assertTrue(promotion)
        for rule in ("last", "first", "linear"):
            for event in ("clicked", "opened", "received"):
                self.set_rule(rule, event)
                groups = self.env["mkt.attribution"]._read_group(
                    [("order_id", "in", orders.ids)],
                    ["order_id"],
                    ["weight:sum", "revenue:sum"],
                )
                for order, weight, revenue in groups:
                    with self.subTest(rule=rule, event=event, order=order.name):
                        self.assertAlmostEqual(weight, 1)
                        self.assertAlmostEqual(revenue, order.amount_untaxed)

    def test_window_must_be_positive(self):
        with self.assertRaisesRegex(ValidationError, "at least one day"):
            self.company.mkt_attribution_window_days = 0
