import random
from datetime import timedelta

from odoo import Command, api, fields, models

SEED = 20261125
# Point of sale shops that Odoo's own demo data adds (furniture, clothes,
# bakery): no part of a delicatessen's story.
SAMPLE_SHOPS = (
    "point_of_sale.pos_config_main",
    "point_of_sale.pos_config_clothes",
    "point_of_sale.pos_config_bakery",
)


class MktDemoData(models.AbstractModel):
    _inherit = "mkt.demo.data"

    @api.model
    def _generate_pos(self):
        """The store of Feinkost Welt in Hamburg: the warehouse "Filiale
        Hamburg" with the store's address, its till "Laden Hamburg" (sales team
        "Ladenverkauf") and some 30 paid POS orders of customers from the
        Hamburg area over the last six months; then the automatic segments
        again, so that the shop and the store have theirs."""
        customers = self.env["res.partner"].search(
            [
                ("customer_rank", ">", 0),
                ("is_company", "=", False),
                ("zip", "=like", "2%"),
            ],
            order="id",
        )
        products = self.env["product.product"].search(
            [("default_code", "=like", "FW-%")], order="id"
        )
        if not customers or not products:
            return  # the story of mkt_scoring's demo is missing
        self._archive_sample_shops()
        rng = random.Random(SEED)
        company = self.env.company
        store = self.env["stock.warehouse"].create(
            {
                "name": "Filiale Hamburg",
                "code": "FHH",
                "company_id": company.id,
                "partner_id": self.env["res.partner"]
                .create(
                    {
                        "name": "Feinkost Welt Laden Hamburg",
                        "parent_id": company.partner_id.id,
                        "type": "other",
                        "street": "Große Bleichen 21",
                        "zip": "20354",
                        "city": "Hamburg",
                        "country_id": self.env.ref("base.de").id,
                    }
                )
                .id,
            }
        )
        shop = self.env["pos.config"].create(
            {
                "name": "Laden Hamburg",
                "picking_type_id": store.pos_type_id.id,
                "crm_team_id": self.env["crm.team"]
                .create({"name": "Ladenverkauf", "company_id": company.id})
                .id,
            }
        )
        session = self.env["pos.session"].create({"config_id": shop.id})
        session.action_pos_session_open()
        # Paid by card: Odoo's sample shops took the cash methods there are.
        payment_method = shop.payment_method_ids[:1]
        now = fields.Datetime.now().replace(microsecond=0)
        regulars = rng.sample(list(customers), k=min(18, len(customers)))
        orders = []
        for _number in range(30):
            partner = rng.choice(regulars)
            date_order = now - timedelta(
                days=rng.randint(1, 180), hours=rng.randint(0, 8)
            )
            lines, total, tax = [], 0.0, 0.0
            basket = rng.sample(list(products), k=min(rng.randint(1, 3), len(products)))
            for product in basket:
                qty = rng.randint(1, 2)
                taxes = product.taxes_id.compute_all(
                    product.lst_price, quantity=qty, product=product, partner=partner
                )
                lines.append(
                    Command.create(
                        {
                            "product_id": product.id,
                            "qty": qty,
                            "price_unit": product.lst_price,
                            "tax_ids": [Command.set(product.taxes_id.ids)],
                            "price_subtotal": taxes["total_excluded"],
                            "price_subtotal_incl": taxes["total_included"],
                        }
                    )
                )
                total += taxes["total_included"]
                tax += taxes["total_included"] - taxes["total_excluded"]
            orders.append(
                {
                    "session_id": session.id,
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "date_order": date_order,
                    "state": "paid",
                    "lines": lines,
                    "amount_tax": round(tax, 2),
                    "amount_total": round(total, 2),
                    "amount_paid": round(total, 2),
                    "amount_return": 0.0,
                    "payment_ids": [
                        Command.create(
                            {
                                "payment_method_id": payment_method.id,
                                "amount": round(total, 2),
                                "payment_date": date_order,
                            }
                        )
                    ],
                }
            )
        self.env["pos.order"].create(orders)
        self.env["mkt.segment"]._cron_refresh_auto_segments()

    @api.model
    def _archive_sample_shops(self):
        shops = self.env["pos.config"].concat(
            *(
                self.env.ref(xmlid, raise_if_not_found=False) or self.env["pos.config"]
                for xmlid in SAMPLE_SHOPS
            )
        )
        shops.active = False
