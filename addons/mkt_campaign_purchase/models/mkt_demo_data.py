from odoo import Command, api, models

CAMPAIGN = "Olivenöl aus Kreta: Gratisprobe"
# The olive oil launch's offer: (article reference, quantity per order). The
# goal of the demo campaign is 40 orders from 200 samples: 20 % respond.
OFFERED_ARTICLES = [("FW-0301", 2), ("FW-0302", 1), ("FW-0403", 1)]
RESPONSE_RATE = 20.0
ON_HAND = {"FW-0301": 12}


class MktDemoData(models.AbstractModel):
    _inherit = "mkt.demo.data"

    @api.model
    def _generate_campaign_purchase_demo(self):
        """The olive oil campaign offers the oil with balsamico and fleur de sel
        and expects a 20 % response: "Propose Purchase" on the campaign orders
        what its expected orders need beyond stock and open purchases."""
        company = self.env.company
        campaign = self.env["mkt.campaign"].search(
            [("name", "=", CAMPAIGN), ("company_id", "=", company.id)], limit=1
        )
        products = self.env["product.product"].search(
            [("default_code", "in", [code for code, _qty in OFFERED_ARTICLES])]
        )
        if not campaign or not products:
            return  # the demo of mkt_campaign_flow or mkt_scoring is missing
        by_code = {product.default_code: product for product in products}
        campaign.write(
            {
                "response_rate": RESPONSE_RATE,
                "product_ids": [
                    Command.create(
                        {"product_id": by_code[code].id, "qty_per_order": qty}
                    )
                    for code, qty in OFFERED_ARTICLES
                    if code in by_code
                ],
            }
        )
        untracked = products.filtered(lambda product: not product.is_storable)
        if untracked:
            self._demo_track_stock(untracked, by_code, company)
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        for code, qty in ON_HAND.items():
            if code in by_code:
                self.env["stock.quant"]._update_available_quantity(
                    by_code[code], warehouse.lot_stock_id, qty
                )
