import random
from datetime import timedelta

from odoo import Command, api, fields, models

SEED = 20261124


class MktDemoData(models.AbstractModel):
    _inherit = "mkt.demo.data"

    @api.model
    def _generate_analytics(self):
        """The analytics part of the demo story: the autumn and Advent
        newsletters of "Feinkost Welt" with their opens and clicks, orders
        placed after a click (some through the newsletter's link), the printer's
        bill of the autumn catalog on its analytic account; then every order of
        the demo is attributed and the automatic segments are created."""
        rng = random.Random(SEED)
        now = fields.Datetime.now().replace(microsecond=0)
        customers = self.env["res.partner"].search(
            [
                ("customer_rank", ">", 0),
                ("email", "!=", False),
                ("is_company", "=", False),
            ],
            order="id",
        )
        products = self.env["product.product"].search(
            [("default_code", "=like", "FW-%")], order="id"
        )
        if not customers or not products:
            return  # the story of mkt_scoring's demo is missing
        partner_model = self.env["ir.model"]._get_id("res.partner")
        autumn, advent = self.env["mailing.mailing"].create(
            [
                {
                    "subject": "Herbstgenüsse: Der neue Katalog ist da",
                    "body_html": "<p>Trüffel, Maronen und neue Weine.</p>",
                    "mailing_model_id": partner_model,
                    "state": "done",
                    "sent_date": now - timedelta(days=20),
                },
                {
                    "subject": "Adventskalender: Jeden Tag ein Genuss",
                    "body_html": "<p>24 kleine Köstlichkeiten bis Weihnachten.</p>",
                    "mailing_model_id": partner_model,
                    "state": "done",
                    "sent_date": now - timedelta(days=6),
                },
            ]
        )
        traces, clickers = [], []
        for mailing, days_ago, audience in (
            (autumn, 20, customers[:160]),
            (advent, 6, customers[60:220]),
        ):
            sent = now - timedelta(days=days_ago)
            for partner in audience:
                reaction = rng.random()
                opened = sent + timedelta(hours=rng.randint(1, 48))
                clicked = opened + timedelta(minutes=rng.randint(1, 90))
                traces.append(
                    {
                        "mass_mailing_id": mailing.id,
                        "model": "res.partner",
                        "res_id": partner.id,
                        "email": partner.email,
                        "trace_status": "open" if reaction < 0.45 else "sent",
                        "sent_datetime": sent,
                        "open_datetime": opened if reaction < 0.45 else False,
                        "links_click_datetime": clicked if reaction < 0.15 else False,
                    }
                )
                if reaction < 0.15:
                    clickers.append((mailing, partner))
        self.env["mailing.trace"].create(traces)
        # Half the clickers order, a third of them through the newsletter's link.
        orders = self.env["sale.order"]
        for mailing, partner in clickers:
            if rng.random() < 0.5:
                continue
            basket = rng.sample(list(products), k=rng.randint(1, 3))
            orders |= self.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "source_id": mailing.source_id.id if rng.random() < 0.33 else False,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": rng.randint(1, 3),
                            }
                        )
                        for product in basket
                    ],
                }
            )
        orders.action_confirm()
        self._demo_printer_bill()
        Attribution = self.env["mkt.attribution"]
        Attribution._schedule_rebuild(self.env["res.company"].search([]), trigger=False)
        Attribution._cron_rebuild()
        self.env["mkt.segment"]._cron_refresh_auto_segments()

    @api.model
    def _demo_printer_bill(self):
        """The printer's bill of the autumn catalog, on the action's analytic
        account: a cost the performance report finds through the account."""
        catalog = self.env["mkt.promotion"].search([("code", "=", "K26")], limit=1)
        if not catalog.analytic_account_id:
            return
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.env["res.partner"]
                .create({"name": "Druckerei Hansen GmbH", "is_company": True})
                .id,
                "invoice_date": catalog.date_start or fields.Date.context_today(self),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Katalog K26: Druck und Lettershop",
                            "quantity": 1,
                            "price_unit": 1850.0,
                            "tax_ids": [Command.clear()],
                            "analytic_distribution": {
                                str(catalog.analytic_account_id.id): 100
                            },
                        }
                    )
                ],
            }
        )
        bill.action_post()
