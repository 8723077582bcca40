from datetime import timedelta

from odoo import Command, api, fields, models

# Vendors of "Feinkost Welt" by catalog category (the first two digits of the
# FW-... references of mkt_scoring's demo catalog), with the vendor's minimum
# quantity (wine by the case of 12) and lead time.
VENDORS = [
    ("Alpenland Käse & Wurst GmbH", "Kempten (Allgäu)", ("01", "02"), 6, 4),
    ("Mediterrana Feinkost-Import GmbH", "München", ("03", "04"), 0, 7),
    (
        "Hanseatische Kaffee- und Feinkostimport GmbH",
        "Hamburg",
        ("05", "07", "08"),
        0,
        3,
    ),
    ("Weinkontor Rheinhessen GmbH", "Mainz", ("06",), 12, 5),
]
# Stock on hand of some products of the open actions (after the past orders
# are delivered), and one request for quotation already sent, so that the
# proposal has something to net.
ON_HAND = {"FW-0101": 20, "FW-0701": 60, "FW-0504": 15}
# Orders of the last days are still to deliver; older ones were delivered.
OPEN_DELIVERY_DAYS = 3
OPEN_RFQ = ("FW-0601", 24)


class MktDemoData(models.AbstractModel):
    _inherit = "mkt.demo.data"

    @api.model
    def _generate_purchase_proposal_demo(self):
        """Vendors for the demo catalog, stock tracking and some stock for the
        products of the open promotion actions, and one open request for
        quotation: "Propose Purchase" on K26 then nets and groups by vendor."""
        products = self.env["product.product"].search(
            [("default_code", "=like", "FW-%")]
        )
        if not products:
            return  # the catalog of mkt_scoring's demo is missing
        company = self.env.company
        by_code = {product.default_code: product for product in products}
        vendors = self.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "city": city,
                    "country_id": self.env.ref("base.de").id,
                    "supplier_rank": 1,
                }
                for name, city, *_rest in VENDORS
            ]
        )
        sellers = []
        for vendor, (_name, _city, categories, min_qty, delay) in zip(
            vendors, VENDORS, strict=True
        ):
            sellers += [
                {
                    "partner_id": vendor.id,
                    "product_tmpl_id": product.product_tmpl_id.id,
                    "price": product.standard_price,
                    "min_qty": min_qty,
                    "delay": delay,
                    "company_id": company.id,
                }
                for product in products
                if product.default_code[3:5] in categories
            ]
        self.env["product.supplierinfo"].create(sellers)
        open_products = (
            self.env["mkt.promotion"]
            .search([("company_id", "=", company.id), ("state", "!=", "done")])
            ._get_open_purchase_products()
        )
        self._demo_track_stock(open_products, by_code, company)
        product, qty = by_code[OPEN_RFQ[0]], OPEN_RFQ[1]
        seller = product.seller_ids[:1]
        if seller:
            self.env["purchase.order"].create(
                {
                    "partner_id": seller.partner_id.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_qty": qty})
                    ],
                }
            ).write({"state": "sent"})

    def _demo_track_stock(self, products, by_code, company):
        """Track the products in stock (their open deliveries are unreserved
        for the change, then reserved again), put some on the shelf and
        deliver the past orders: the demo's two years of orders were confirmed
        when Inventory was installed with this add-on, so each got a delivery
        that in the story went out long ago."""
        used = self.env["stock.move.line"].search(
            [("product_id", "in", products.ids), ("state", "=", "done")]
        )
        products -= used.product_id
        moves = self.env["stock.move"].search(
            [
                ("product_id", "in", products.ids),
                ("state", "not in", ("done", "cancel")),
            ]
        )
        moves._do_unreserve()
        products.product_tmpl_id.is_storable = True
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        past = self.env["stock.picking"].search(
            [
                ("picking_type_code", "=", "outgoing"),
                ("company_id", "=", company.id),
                ("state", "not in", ("done", "cancel")),
                (
                    "sale_id.date_order",
                    "<",
                    fields.Datetime.now() - timedelta(days=OPEN_DELIVERY_DAYS),
                ),
            ]
        )
        delivered = {
            product.id: qty
            for product, qty in self.env["stock.move"]._read_group(
                [("picking_id", "in", past.ids), ("product_id", "in", products.ids)],
                ["product_id"],
                ["product_uom_qty:sum"],
            )
        }
        for product in products:
            self.env["stock.quant"]._update_available_quantity(
                product,
                warehouse.lot_stock_id,
                ON_HAND.get(product.default_code, 0) + delivered.get(product.id, 0),
            )
        moves._action_assign()
        # Enough stock: reserving sets every move's quantity to its demand.
        past.action_assign()
        past.move_ids.picked = True
        past.with_context(skip_backorder=True, skip_sms=True)._action_done()
