from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.mkt_promotions.tests.common import PromotionCommon


class PurchaseProposalCommon(PromotionCommon):
    """Goods tracked in stock with vendors (one selling by the dozen from a
    minimum), a product without vendor, a buyer, and helpers for stock, open
    purchases and proposals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_buyer = new_test_user(
            cls.env,
            login="mkt_buyer",
            groups="purchase.group_purchase_user,mkt_scoring.mkt_group_user,"
            "sales_team.group_sale_salesman",
        )
        cls.vendor_olive, cls.vendor_wine = cls.env["res.partner"].create(
            [
                {"name": "Olivenhof Kalamata GmbH", "is_company": True},
                {"name": "Weinkontor Rheinhessen GmbH", "is_company": True},
            ]
        )
        cls.uom_unit = cls.env.ref("uom.product_uom_unit")
        cls.uom_dozen = cls.env.ref("uom.product_uom_dozen")
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.product_oil.write({"is_storable": True})
        (cls.product_cheese | cls.product_wine).write({"is_storable": True})
        cls.product_wine.uom_po_id = cls.uom_dozen
        cls.product_oil.seller_ids = [
            Command.create({"partner_id": cls.vendor_olive.id, "price": 6.0})
        ]
        cls.product_cheese.seller_ids = [
            Command.create({"partner_id": cls.vendor_olive.id, "price": 11.0})
        ]
        cls.product_wine.seller_ids = [
            Command.create(
                {"partner_id": cls.vendor_wine.id, "price": 90.0, "min_qty": 2}
            )
        ]
        cls.product_no_vendor = cls.env["product.product"].create(
            {"name": "Truffle salt", "type": "consu", "is_storable": True}
        )

    @classmethod
    def create_promotion_with_plan(cls, plan, code="K26", state="running", **values):
        """An action planning ``plan``: (product, planned quantity) pairs."""
        return cls.create_promotion(
            code=code,
            state=state,
            line_ids=[
                Command.create(
                    {"product_id": product.id, "price_type": "none", "planned_qty": qty}
                )
                for product, qty in plan
            ],
            **values,
        )

    def set_on_hand(self, product, qty, warehouse=None):
        self.env["stock.quant"]._update_available_quantity(
            product, (warehouse or self.warehouse).lot_stock_id, qty
        )

    def create_purchase(self, vendor, lines, company=None, confirm=False):
        """A purchase order; ``lines`` are (product, quantity[, uom]) tuples."""
        order = self.env["purchase.order"].create(
            {
                "partner_id": vendor.id,
                "company_id": (company or self.company).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": line[0].id,
                            "product_qty": line[1],
                            **({"product_uom": line[2].id} if len(line) > 2 else {}),
                        }
                    )
                    for line in lines
                ],
            }
        )
        if confirm:
            order.button_confirm()
        return order

    def receive(self, order, qty):
        """Receive ``qty`` of the order's single line; the rest stays incoming
        on a backorder."""
        picking = order.picking_ids
        picking.move_ids.write({"quantity": qty, "picked": True})
        picking._action_done()

    def propose(self, promotion, user=None):
        action = promotion.with_user(user or self.user_buyer).action_propose_purchase()
        return self.env["mkt.purchase.proposal"].browse(action["res_id"])

    @staticmethod
    def line_of(proposal, product):
        return proposal.line_ids.filtered(lambda line: line.product_id == product)
