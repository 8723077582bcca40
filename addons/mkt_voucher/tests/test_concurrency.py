import psycopg2.errors

from odoo import api
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install", "mkt")
class TestConcurrentRedemption(TransactionCase):
    """A single-use code on two orders confirmed at the same time, in two real
    transactions on committed data: it is redeemed once."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.env.uid, {})
            product = env["product.product"].create(
                {"name": "Concurrency cheese", "list_price": 50.0, "taxes_id": False}
            )
            partner = env["res.partner"].create({"name": "Concurrency customer"})
            program = env["loyalty.program"].create(
                {
                    "name": "Concurrency voucher",
                    "program_type": "coupons",
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
            card = (
                env["loyalty.card"]
                .with_context(loyalty_no_mail=True)
                .create(
                    {"program_id": program.id, "partner_id": partner.id, "points": 1}
                )
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [Command.create({"product_id": product.id})],
                    }
                    for _ in range(2)
                ]
            )
            for order in orders:
                status = order._try_apply_code(card.code)
                order._apply_program_reward(status[card], card)
            self.assertEqual(len(orders.order_line.filtered("is_reward_line")), 2)
            self.ids = {
                "product": product.id,
                "partner": partner.id,
                "program": program.id,
                "card": card.id,
                "orders": orders.ids,
                "reward_product": program.reward_ids.discount_line_product_id.id,
            }
            # Committed on purpose: row locks only show between transactions.
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._delete_committed_data)

    def _delete_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.env.uid, {"tracking_disable": True})
            orders = env["sale.order"].browse(self.ids["orders"])
            orders.filtered(lambda o: o.state == "sale")._action_cancel()
            # With Inventory (sale_stock), confirmed orders left deliveries.
            pickings = orders.picking_ids if "picking_ids" in orders._fields else ()
            if pickings:
                pickings.move_ids.unlink()
                pickings.unlink()
            orders.unlink()
            env["loyalty.history"].search([("card_id", "=", self.ids["card"])]).unlink()
            env["loyalty.card"].browse(self.ids["card"]).unlink()
            program = env["loyalty.program"].browse(self.ids["program"])
            program.active = False
            program.unlink()
            env["res.partner"].browse(self.ids["partner"]).unlink()
            env["product.product"].browse(
                [self.ids["product"], self.ids["reward_product"]]
            ).unlink()

    def test_single_use_code_redeemed_once(self):
        id_a, id_b = self.ids["orders"]
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a = api.Environment(cr_a, self.env.uid, {})
            env_b = api.Environment(cr_b, self.env.uid, {})
            order_b = env_b["sale.order"].browse(id_b)
            # Both clerks have the order open: B's transaction has started.
            self.assertEqual(order_b.state, "draft")

            env_a["sale.order"].browse(id_a).action_confirm()
            cr_a.commit()  # pylint: disable=invalid-commit

            with self.assertRaises(psycopg2.errors.SerializationFailure):
                order_b.action_confirm()
            cr_b.rollback()

            # The server retries B's request in a new transaction.
            env_b.invalidate_all()
            with self.assertRaisesRegex(UserError, "has already been redeemed"):
                env_b["sale.order"].browse(id_b).action_confirm()
            cr_b.rollback()

        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.env.uid, {})
            orders = env["sale.order"].browse(self.ids["orders"])
            self.assertEqual(orders.mapped("state"), ["sale", "draft"])
            card = env["loyalty.card"].browse(self.ids["card"])
            self.assertEqual(card.points, 0)
            self.assertEqual(card.use_count, 2, "one line on each order...")
            confirmed_lines = orders.order_line.filtered(
                lambda line: line.coupon_id == card and line.order_id.state == "sale"
            )
            self.assertEqual(len(confirmed_lines), 1, "...but redeemed on one")


@tagged("post_install", "-at_install", "mkt")
class TestConcurrentIssuing(TransactionCase):
    """Two transactions issuing codes of one voucher to the same customer at the
    same time (a newsletter and a campaign step, two workers): one code."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.env.uid, {})
            partner = env["res.partner"].create({"name": "Concurrent customer"})
            program = env["loyalty.program"].create(
                {
                    "name": "Concurrent win-back",
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
                    "mkt_discount_rule_ids": [
                        Command.create({"condition": "always", "discount_percent": 15})
                    ],
                }
            )
            self.ids = {"partner": partner.id, "program": program.id}
            self.ids["products"] = program.reward_ids.discount_line_product_id.ids
            # Committed on purpose: row locks only show between transactions.
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._delete_committed_data)

    def _delete_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.env.uid, {})
            program = env["loyalty.program"].browse(self.ids["program"])
            program.coupon_ids.unlink()
            program.active = False
            program.unlink()
            env["res.partner"].browse(self.ids["partner"]).unlink()
            env["product.product"].browse(self.ids["products"]).unlink()

    def issue(self, env):
        program = env["loyalty.program"].browse(self.ids["program"])
        return program._mkt_issue_codes(
            env["res.partner"].browse(self.ids["partner"]),
            env.ref("utm.utm_source_newsletter"),
        )

    def test_one_code_per_customer(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a = api.Environment(cr_a, self.env.uid, {})
            env_b = api.Environment(cr_b, self.env.uid, {})
            program_b = env_b["loyalty.program"].browse(self.ids["program"])
            # B's transaction has started and sees no code yet.
            self.assertFalse(program_b.coupon_ids)

            self.assertEqual(len(self.issue(env_a)), 1)
            cr_a.commit()  # pylint: disable=invalid-commit

            with self.assertRaises(psycopg2.errors.SerializationFailure):
                self.issue(env_b)
            cr_b.rollback()

            # The cron or server retries B in a new transaction: nothing to do.
            env_b.invalidate_all()
            self.assertFalse(self.issue(env_b))
            cr_b.commit()  # pylint: disable=invalid-commit

        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.env.uid, {})
            cards = env["loyalty.program"].browse(self.ids["program"]).coupon_ids
            self.assertEqual(len(cards), 1)
            self.assertEqual(cards.mkt_discount_percent, 15.0)
