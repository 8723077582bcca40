import threading

from psycopg2 import errors

from odoo import Command, api
from odoo.tests import tagged

from .common import PromotionCommon


@tagged("post_install", "-at_install", "mkt")
class TestEarlybird(PromotionCommon):
    def earlybird_promotion(self, env, limit):
        return env["mkt.promotion"].create(
            {
                "name": "Early birds",
                "code": "EARLY",
                "state": "running",
                "benefit_ids": [
                    Command.create(
                        {"benefit_type": "earlybird", "earlybird_limit": limit}
                    ),
                    Command.create(
                        {
                            "benefit_type": "order_discount",
                            "discount_value": 10,
                            "earlybird_only": True,
                        }
                    ),
                ],
            }
        )

    def test_only_the_first_customers_keep_the_earlybird_benefits(self):
        promotion = self.earlybird_promotion(self.env, limit=2)
        customers = self.env["res.partner"].create(
            [{"name": f"Bird {n}"} for n in range(3)]
        )
        orders = [self.create_order(c, mkt_promotion_code="EARLY") for c in customers]
        self.assertTrue(
            all(self.benefit_lines(o) for o in orders), "offered while open"
        )
        for order in orders:
            order.action_confirm()
        self.assertEqual([o.mkt_earlybird for o in orders], [True, True, False])
        self.assertTrue(self.benefit_lines(orders[0]) and self.benefit_lines(orders[1]))
        self.assertFalse(self.benefit_lines(orders[2]), "removed at confirmation")
        self.assertIn("early-bird places", orders[2].message_ids[0].body)
        self.assertEqual(promotion.earlybird_granted, 2)
        late = self.create_order(customers[0], mkt_promotion_code="EARLY")
        self.assertFalse(self.benefit_lines(late), "no places left: not offered")

    def test_one_place_per_customer(self):
        promotion = self.earlybird_promotion(self.env, limit=5)
        first = self.create_order(mkt_promotion_code="EARLY")
        first.action_confirm()
        second = self.create_order(mkt_promotion_code="EARLY")
        self.assertFalse(self.benefit_lines(second), "not offered twice")
        second.action_confirm()
        self.assertEqual((first.mkt_earlybird, second.mkt_earlybird), (True, False))
        self.assertEqual(promotion.earlybird_granted, 1)

    def test_concurrent_confirmations_take_exactly_the_places_left(self):
        """Two orders confirmed at the same time in two real transactions, one
        place left: exactly one order gets it."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.env.uid, {})
            promotion = self.earlybird_promotion(env, limit=1)
            customers = env["res.partner"].create(
                [{"name": f"Concurrent bird {n}"} for n in range(2)]
            )
            # Installed with the module, so committed: records of the test's own
            # transaction are invisible to the two workers.
            product = env.ref("mkt_promotions.product_promotion_discount")
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": customer.id,
                        "mkt_promotion_code": "EARLY",
                        "order_line": [
                            Command.create({"product_id": product.id, "price_unit": 20})
                        ],
                    }
                    for customer in customers
                ]
            )
            ids = {
                "promotion": promotion.id,
                "orders": orders.ids,
                "partners": customers.ids,
                "pricelist": promotion.pricelist_id.id,
                "account": promotion.analytic_account_id.id,
            }
            # Committed on purpose: concurrency only exists between transactions.
            cr.commit()  # pylint: disable=invalid-commit
        barrier = threading.Barrier(2)
        retries = []

        def confirm(order_id):
            for attempt in range(3):
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, self.env.uid, {})
                    order = env["sale.order"].browse(order_id)
                    order.name  # noqa: B018 - opens the snapshot before the race
                    if attempt == 0:
                        barrier.wait(timeout=30)
                    try:
                        order.action_confirm()
                        cr.commit()  # pylint: disable=invalid-commit
                        return
                    except errors.SerializationFailure:
                        cr.rollback()
                        retries.append(order_id)  # what Odoo's RPC layer does

        try:
            threads = [
                threading.Thread(target=confirm, args=(order_id,))
                for order_id in ids["orders"]
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            with self.registry.cursor() as cr:
                env = api.Environment(cr, self.env.uid, {})
                orders = env["sale.order"].browse(ids["orders"])
                self.assertEqual(orders.mapped("state"), ["sale", "sale"])
                self.assertEqual(sorted(orders.mapped("mkt_earlybird")), [False, True])
                winner = orders.filtered("mkt_earlybird")
                loser = orders - winner
                self.assertTrue(winner.order_line.filtered("mkt_benefit_id"))
                self.assertFalse(loser.order_line.filtered("mkt_benefit_id"))
                self.assertEqual(
                    env["mkt.promotion"].browse(ids["promotion"]).earlybird_granted, 1
                )
        finally:
            with self.registry.cursor() as cr:
                cr.execute("DELETE FROM sale_order WHERE id = ANY(%s)", [ids["orders"]])
                cr.execute(
                    "DELETE FROM account_analytic_line WHERE mkt_promotion_id = %s",
                    [ids["promotion"]],
                )
                cr.execute(
                    "DELETE FROM mkt_promotion WHERE id = %s", [ids["promotion"]]
                )
                cr.execute(
                    "DELETE FROM product_pricelist WHERE id = %s", [ids["pricelist"]]
                )
                cr.execute(
                    "DELETE FROM account_analytic_account WHERE id = %s",
                    [ids["account"]],
                )
                cr.execute(
                    "DELETE FROM mail_message WHERE model = 'res.partner' AND res_id = ANY(%s)",
                    [ids["partners"]],
                )
                cr.execute(
                    "DELETE FROM res_partner WHERE id = ANY(%s)", [ids["partners"]]
                )
