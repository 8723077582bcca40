from odoo import Command, api, models

CAMPAIGN = "Olivenöl aus Kreta: Gratisprobe"
# The olive oil launch's offer: (article reference, quantity per order). The
# goal of the demo campaign is 40 orders from 200 samples: 20 % respond.
OFFERED_ARTICLES = [("FW-0301", 2), ("FW-0302", 1), ("FW-0403", 1)]
RESPONSE_RATE = 20.0
# A request for quotation already sent for some of the oil: the proposal nets it.
OPEN_RFQ = ("FW-0301", 24)


class MktDemoData(models.AbstractModel):
    _inherit = "mkt.demo.data"

    @api.model
    def _generate_campaign_purchase_demo(self):
        """The olive oil campaign offers the oil with balsamico and fleur de sel
        and expects a 20 % response: "Propose Purchase" on the campaign orders
        what its expected orders need beyond stock and open purchases (a request
        for quotation for some of the oil is already out)."""
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
        product = by_code.get(OPEN_RFQ[0])
        seller = product.seller_ids[:1] if product else False
        if seller:
            self.env["purchase.order"].create(
                {
                    "partner_id": seller.partner_id.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_qty": OPEN_RFQ[1]}
                        )
                    ],
                }
            ).write({"state": "sent"})
