from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields

from odoo.addons.mkt_scoring.tests.common import MktCommon


class PromotionCommon(MktCommon):
    """A private and a business customer, goods with two VAT rates, a delivery
    method and ``create_promotion`` for running actions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        Tax = cls.env["account.tax"]
        cls.tax_19 = Tax.create(
            {"name": "VAT 19 %", "amount": 19, "type_tax_use": "sale"}
        )
        cls.tax_7 = Tax.create({"name": "VAT 7 %", "amount": 7, "type_tax_use": "sale"})
        cls.product_cheese.taxes_id = cls.tax_7
        cls.product_wine.taxes_id = cls.tax_19
        cls.product_oil, cls.product_gift_knife, cls.product_gift_apron = cls.env[
            "product.product"
        ].create(
            [
                {
                    "name": "Olive oil 0.5 l",
                    "list_price": 10.0,
                    "type": "consu",
                    "taxes_id": [Command.set(cls.tax_7.ids)],
                },
                {"name": "Cheese knife", "list_price": 12.0, "type": "consu"},
                {"name": "Kitchen apron", "list_price": 25.0, "type": "consu"},
            ]
        )
        cls.private, cls.business = cls.env["res.partner"].create(
            [
                {
                    "name": "Erika Mustermann",
                    "email": "erika@example.com",
                    "customer_rank": 1,
                },
                {
                    "name": "Feinkostladen Meyer KG",
                    "is_company": True,
                    "customer_rank": 1,
                },
            ]
        )
        cls.delivery_product = cls.env["product.product"].create(
            {"name": "Parcel", "type": "service", "list_price": 4.95}
        )
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Parcel service",
                "delivery_type": "fixed",
                "product_id": cls.delivery_product.id,
                "fixed_price": 4.95,
            }
        )

    @classmethod
    def create_promotion(cls, code="K26", state="running", **values):
        return cls.env["mkt.promotion"].create(
            {
                "name": f"Action {code}",
                "code": code,
                "medium": "catalog",
                "date_start": cls.today - timedelta(days=10),
                "date_end": cls.today + timedelta(days=30),
                "state": state,
                **values,
            }
        )

    def create_order(self, partner=None, lines=None, **values):
        """A quotation; ``lines`` are (product, quantity) pairs."""
        lines = lines if lines is not None else [(self.product_cheese, 2)]
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.private).id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
                **values,
            }
        )

    @contextmanager
    def assertRefused(self, exception, message):
        """Like assertRaisesRegex, and rolls back what the refused call wrote,
        as the request would in the web client."""
        with self.assertRaisesRegex(exception, message), self.env.cr.savepoint():
            yield
        self.env.invalidate_all()

    @staticmethod
    def benefit_lines(order):
        return order.order_line.filtered("mkt_benefit_id")
