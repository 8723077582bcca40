from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.mkt_scoring.tests.common import MktCommon


@tagged("post_install", "-at_install", "mkt")
class TestVoucherUi(HttpCase, MktCommon):
    def test_voucher_offered_at_order_entry(self):
        customer = self.env["res.partner"].create(
            {"name": "Stammkunde Tour", "email": "tour@example.com"}
        )
        self.env["res.partner"].create({"name": "Gelegenheitskunde Tour"})
        self.env["product.product"].create(
            {
                "name": "Tour Comté",
                "list_price": 20.0,
                "taxes_id": False,
                "sale_ok": True,
            }
        )
        segment = self.env["mkt.segment"].create(
            {"name": "Tour regulars", "domain": "[('name', '=like', 'Stammkunde%')]"}
        )
        program = self.env["loyalty.program"].create(
            {
                "name": "Tour voucher 20 %",
                "program_type": "coupons",
                "mkt_segment_id": segment.id,
                "rule_ids": [
                    Command.create(
                        {
                            "mode": "auto",
                            "minimum_amount": 100,
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
        program._mkt_issue_codes(customer, self.env.ref("utm.utm_source_newsletter"))
        card = program.coupon_ids
        self.start_tour(
            "/odoo/action-sale.action_quotations_with_onboarding",
            "mkt_voucher_offer_tour",
            login="mkt_salesman",
        )
        order = self.env["sale.order"].search([("partner_id", "=", customer.id)])
        self.assertEqual(order.order_line.filtered("is_reward_line").coupon_id, card)
        self.assertAlmostEqual(order.amount_untaxed, 96.0)

    def test_adaptive_discount_table(self):
        program = self.env["loyalty.program"].create(
            {
                "name": "Tour win-back",
                "program_type": "coupons",
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
            }
        )
        self.start_tour(
            f"/odoo/action-loyalty.loyalty_program_discount_loyalty_action/{program.id}",
            "mkt_voucher_adaptive_tour",
            login="mkt_user",
        )
        rule = program.mkt_discount_rule_ids
        self.assertEqual(
            (rule.condition, rule.trend, rule.discount_percent), ("trend", "lapsed", 25)
        )
