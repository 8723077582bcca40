"""Two buyers creating the proposed orders at the same moment, on real,
committed transactions (each with its own connection, as two requests of the
web client); the test cleans up what it committed."""

from contextlib import closing
from datetime import timedelta

from psycopg2 import errors

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mkt_scoring.tests.common import CommittedCase


@tagged("post_install", "-at_install", "mkt")
class TestConcurrentProposals(CommittedCase):
    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            vendor = env["res.partner"].create({"name": "Concurrency vendor"})
            product = env["product.product"].create(
                {
                    "name": "Concurrency olive oil",
                    "type": "consu",
                    "is_storable": True,
                    "seller_ids": [Command.create({"partner_id": vendor.id})],
                }
            )
            today = fields.Date.context_today(env.user)
            promotion = env["mkt.promotion"].create(
                {
                    "name": "Concurrency action",
                    "code": "CONC26",
                    "state": "running",
                    "date_start": today - timedelta(days=1),
                    "date_end": today + timedelta(days=30),
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "price_type": "none",
                                "planned_qty": 40,
                            }
                        )
                    ],
                }
            )
            # Two buyers open the proposal, each in their own request.
            self.proposal_ids = [
                env["mkt.purchase.proposal"]
                .browse(promotion.action_propose_purchase()["res_id"])
                .id
                for _buyer in range(2)
            ]
            self.ids = {
                "vendor": vendor.id,
                "product": product.id,
                "promotion": promotion.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.committed_env() as env:
            promotion = env["mkt.promotion"].browse(self.ids["promotion"])
            orders = env["purchase.order"].search(
                [("mkt_promotion_id", "=", promotion.id)]
            )
            orders.button_cancel()
            orders.unlink()
            env["mkt.purchase.proposal"].browse(self.proposal_ids).unlink()
            pricelist, account = promotion.pricelist_id, promotion.analytic_account_id
            promotion.line_ids.unlink()
            promotion.unlink()
            pricelist.unlink()
            account.line_ids.unlink()
            account.unlink()
            product = env["product.product"].browse(self.ids["product"])
            template = product.product_tmpl_id
            product.unlink()
            template.unlink()
            env["res.partner"].browse(self.ids["vendor"]).unlink()

    def _confirm(self, cr, index):
        env = api.Environment(cr, SUPERUSER_ID, {})
        proposal = env["mkt.purchase.proposal"].browse(self.proposal_ids[index])
        return proposal.action_create_purchase_orders()

    def _orders(self):
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["purchase.order.line"].search_read(
                [("product_id", "=", self.ids["product"])], ["product_qty"]
            )

    @mute_logger("odoo.sql_db")
    def test_second_buyer_waits_for_the_first_and_then_orders_nothing(self):
        with (
            closing(self.registry.cursor()) as cr_a,
            closing(self.registry.cursor()) as cr_b,
        ):
            self._confirm(cr_a, 0)
            with self.assertRaises(errors.LockNotAvailable):
                self._confirm(cr_b, 1)
            cr_b.rollback()
            cr_a.commit()
        # Odoo retries the refused request: it now sees the first buyer's order.
        with closing(self.registry.cursor()) as cr_b:
            with self.assertRaisesRegex(UserError, "changed since this proposal"):
                self._confirm(cr_b, 1)
        self.assertEqual([line["product_qty"] for line in self._orders()], [40])

    @mute_logger("odoo.sql_db")
    def test_second_buyer_with_an_older_snapshot_is_retried(self):
        with (
            closing(self.registry.cursor()) as cr_a,
            closing(self.registry.cursor()) as cr_b,
        ):
            # The second request began (its snapshot) before the first committed.
            cr_b.execute("SELECT 1 FROM mkt_promotion LIMIT 1")
            self._confirm(cr_a, 0)
            cr_a.commit()
            with self.assertRaises(errors.SerializationFailure):
                self._confirm(cr_b, 1)
            cr_b.rollback()
        self.assertEqual([line["product_qty"] for line in self._orders()], [40])
