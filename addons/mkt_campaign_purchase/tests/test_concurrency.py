"""A buyer proposing for a campaign while another orders for a promotion
action with the same product, on real, committed transactions (each with its
own connection, as two requests of the web client): the demand and the lock
span both kinds of source, so the product is not ordered twice. The test
cleans up what it committed."""

from contextlib import closing
from datetime import timedelta

from psycopg2 import errors

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mkt_scoring.tests.common import CommittedCase


@tagged("post_install", "-at_install", "mkt")
class TestConcurrentCampaignProposals(CommittedCase):
    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            vendor, customer = env["res.partner"].create(
                [
                    {"name": "Concurrency vendor"},
                    {
                        "name": "Concurrency customer",
                        "email": "customer@concurrency.example.com",
                        "customer_rank": 1,
                    },
                ]
            )
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
            segment = env["mkt.segment"].create(
                {
                    "name": "Concurrency segment",
                    "domain": "[('email', '=', 'customer@concurrency.example.com')]",
                }
            )
            campaign = env["mkt.campaign"].create(
                {
                    "name": "Concurrency campaign",
                    "segment_id": segment.id,
                    "response_rate": 100,
                    "product_ids": [
                        Command.create({"product_id": product.id, "qty_per_order": 2})
                    ],
                }
            )
            Proposal = env["mkt.purchase.proposal"]
            self.proposal_ids = [
                Proposal.browse(source.action_propose_purchase()["res_id"]).id
                for source in (promotion, campaign)
            ]
            self.records = [
                ("res.partner", (vendor | customer).ids),
                ("product.product", product.ids),
                ("mkt.promotion", promotion.ids),
                ("mkt.campaign", campaign.ids),
                ("mkt.segment", segment.ids),
            ]
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.committed_env() as env:
            records = {model: env[model].browse(ids) for model, ids in self.records}
            promotion, campaign = records["mkt.promotion"], records["mkt.campaign"]
            orders = env["purchase.order"].search(
                [
                    "|",
                    ("mkt_promotion_id", "=", promotion.id),
                    ("mkt_campaign_id", "=", campaign.id),
                ]
            )
            orders.button_cancel()
            orders.unlink()
            env["mkt.purchase.proposal"].browse(self.proposal_ids).unlink()
            accounts = promotion.analytic_account_id | campaign.analytic_account_id
            pricelist, utm = promotion.pricelist_id, campaign.utm_campaign_id
            promotion.line_ids.unlink()
            promotion.unlink()
            pricelist.unlink()
            campaign.unlink()
            utm.unlink()
            accounts.line_ids.unlink()
            accounts.unlink()
            records["mkt.segment"].unlink()
            product = records["product.product"]
            template = product.product_tmpl_id
            product.unlink()
            template.unlink()
            records["res.partner"].unlink()

    def _confirm(self, cr, index):
        env = api.Environment(cr, SUPERUSER_ID, {})
        proposal = env["mkt.purchase.proposal"].browse(self.proposal_ids[index])
        return proposal.action_create_purchase_orders()

    def _ordered(self):
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            [product_ids] = [ids for model, ids in self.records if "product" in model]
            return env["purchase.order.line"].search_read(
                [("product_id", "in", product_ids)], ["product_qty"]
            )

    @mute_logger("odoo.sql_db")
    def test_campaign_proposal_waits_for_the_promotion_one(self):
        with (
            closing(self.registry.cursor()) as cr_a,
            closing(self.registry.cursor()) as cr_b,
        ):
            self._confirm(cr_a, 0)  # the promotion's: 40 planned + 2 expected
            with self.assertRaises(errors.LockNotAvailable):
                self._confirm(cr_b, 1)  # the campaign's
            cr_b.rollback()
            cr_a.commit()
        # Odoo retries the refused request: it now sees the first buyer's order.
        with closing(self.registry.cursor()) as cr_b:
            with self.assertRaisesRegex(UserError, "changed since this proposal"):
                self._confirm(cr_b, 1)
        self.assertEqual([line["product_qty"] for line in self._ordered()], [42])
