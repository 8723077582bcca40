import random
from datetime import timedelta

from odoo import Command, api, fields, models

SEED = 20261123


class MktDemoData(models.AbstractModel):
    _inherit = "mkt.demo.data"

    @api.model
    def _generate_promotions(self):
        """Demo actions of "Feinkost Welt" (named in German, like the company's
        other demo records): last spring's catalog (done, the base of
        the planning proposals), the autumn catalog, the November newsletter and
        the Christmas market flyer, with orders under each."""
        # In the shop's language: what the actions write themselves (planning
        # basis, payment term names, chatter) reads as the shop's staff would.
        self.with_context(lang=self._demo_lang())._promotion_demo_generate()

    @api.model
    def _promotion_demo_generate(self):
        rng = random.Random(SEED)
        today = fields.Date.context_today(self)
        products = {
            product.default_code: product
            for product in self.env["product.product"].search(
                [("default_code", "=like", "FW-%")]
            )
        }
        if not products:
            return  # the catalog of mkt_scoring's demo is missing
        knife, apron, flatrate = self.env["product.product"].create(
            [
                {"name": "Käsemesser (Geschenk)", "type": "consu", "list_price": 8.90},
                {
                    "name": "Kochschürze (Geschenk)",
                    "type": "consu",
                    "list_price": 19.90,
                },
                {
                    "name": "Versandkostenflatrate 12 Monate",
                    "type": "service",
                    "list_price": 19.90,
                    "mkt_flatrate_months": 12,
                    "invoice_policy": "order",
                },
            ]
        )
        shipping = self.env["product.product"].create(
            {"name": "Paketversand", "type": "service", "list_price": 4.95}
        )
        self.env["delivery.carrier"].create(
            {
                "name": "Paket mit Versandkostenflatrate",
                "delivery_type": "mkt_flatrate",
                "product_id": shipping.id,
                "fixed_price": 4.95,
                "mkt_flatrate_free_over": 30.0,
                "mkt_flatrate_surcharge": 2.50,
            }
        )
        voucher = self.env["loyalty.program"].create(
            {
                "name": "5 € Gutschein für die nächste Bestellung",
                "program_type": "coupons",
                "trigger": "with_code",
                "applies_on": "current",
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": 5,
                            "discount_mode": "per_order",
                        }
                    )
                ],
            }
        )
        customers = self.env["res.partner"].search(
            [("customer_rank", ">", 0), ("parent_id", "=", False)], order="id"
        )
        private_customers = customers.filtered(lambda partner: not partner.is_company)
        spring = self._promotion_demo_action(
            {
                "name": "Frühjahrskatalog 2026",
                "code": "F26",
                "prefix": "F26-",
                "medium": "catalog",
                "date_start": today - timedelta(days=230),
                "date_end": today,
                "circulation": 20000,
                "ad_cost": 28000,
                "line_ids": [
                    self._promotion_demo_line(products["FW-0101"], fixed_price=29.90),
                    self._promotion_demo_line(products["FW-0601"], discount=10),
                    self._promotion_demo_line(products["FW-0701"], fixed_price=21.90),
                ],
            }
        )
        self._promotion_demo_orders(
            rng, spring, customers, products, count=30, prefix="F26-"
        )
        spring.write({"date_end": today - timedelta(days=150), "state": "done"})
        spring_orders = self.env["sale.order"].search(
            [("mkt_promotion_id", "=", spring.id)]
        )
        for order in spring_orders:
            order.date_order = fields.Datetime.now() - timedelta(
                days=rng.randint(155, 225)
            )

        autumn = self._promotion_demo_action(
            {
                "name": "Herbstkatalog 2026",
                "code": "K26",
                "prefix": "K26-",
                "medium": "catalog",
                "date_start": today - timedelta(days=20),
                "date_end": today + timedelta(days=70),
                "circulation": 25000,
                "ad_cost": 37500,
                "line_ids": [
                    self._promotion_demo_line(products["FW-0101"], fixed_price=27.90),
                    self._promotion_demo_line(products["FW-0504"], fixed_price=19.90),
                    self._promotion_demo_line(products["FW-0701"], discount=15),
                    self._promotion_demo_line(
                        products["FW-0604"], discount=10, min_quantity=6
                    ),
                    self._promotion_demo_line(products["FW-0601"], fixed_price=34.00),
                ],
                "benefit_ids": [
                    Command.create(
                        {
                            "benefit_type": "gift",
                            "gift_tier_ids": [
                                Command.create(
                                    {
                                        "sequence": 1,
                                        "threshold": 75,
                                        "product_id": knife.id,
                                    }
                                ),
                                Command.create(
                                    {
                                        "sequence": 2,
                                        "threshold": 150,
                                        "product_id": apron.id,
                                    }
                                ),
                            ],
                        }
                    ),
                    Command.create(
                        {"benefit_type": "free_shipping", "min_order_value": 60}
                    ),
                    Command.create(
                        {"benefit_type": "earlybird", "earlybird_limit": 50}
                    ),
                    Command.create(
                        {
                            "benefit_type": "order_discount",
                            "discount_value": 5,
                            "earlybird_only": True,
                        }
                    ),
                ],
            }
        )
        autumn.action_propose_planned_quantities()
        newsletter = self._promotion_demo_action(
            {
                "name": "Newsletter November",
                "code": "NL-NOV",
                "medium": "newsletter",
                "audience": "b2c",
                "date_start": today - timedelta(days=10),
                "date_end": today + timedelta(days=20),
                "circulation": 8000,
                "ad_cost": 400,
                "benefit_ids": [
                    Command.create(
                        {
                            "benefit_type": "order_discount",
                            "discount_value": 10,
                            "min_order_value": 50,
                        }
                    ),
                    Command.create(
                        {
                            "benefit_type": "buy_n_pay_m",
                            "buy_quantity": 3,
                            "pay_quantity": 2,
                            "product_ids": [
                                Command.set(
                                    [
                                        products[code].id
                                        for code in (
                                            "FW-0501",
                                            "FW-0502",
                                            "FW-0503",
                                            "FW-0505",
                                        )
                                    ]
                                )
                            ],
                        }
                    ),
                    Command.create(
                        {
                            "benefit_type": "shipping_flatrate",
                            "flatrate_product_id": flatrate.id,
                            "flatrate_price": 9.90,
                        }
                    ),
                    Command.create(
                        {"benefit_type": "voucher", "loyalty_program_id": voucher.id}
                    ),
                ],
            }
        )
        flyer = self._promotion_demo_action(
            {
                "name": "Flyer Weihnachtsmarkt",
                "code": "WM26",
                "prefix": "WM",
                "suffix": "-F",
                "medium": "flyer",
                "date_start": today - timedelta(days=5),
                "date_end": today + timedelta(days=35),
                "circulation": 5000,
                "ad_cost": 1500,
                "line_ids": [
                    self._promotion_demo_line(products["FW-0801"], fixed_price=79.00)
                ],
                "benefit_ids": [
                    Command.create(
                        {"benefit_type": "shipping_price", "shipping_price": 2.95}
                    ),
                    Command.create(
                        {
                            "benefit_type": "payment_term",
                            "payment_action": "cash_discount",
                            "cash_discount_percent": 3,
                            "cash_discount_days": 10,
                        }
                    ),
                ],
            }
        )
        self._promotion_demo_orders(
            rng, autumn, customers, products, count=25, prefix="K26-"
        )
        self._promotion_demo_orders(
            rng, newsletter, private_customers, products, count=12, prefix=""
        )
        self._promotion_demo_orders(
            rng, flyer, customers, products, count=8, prefix="WM", suffix="-F"
        )
        # Quotations waiting for confirmation, to try the benefits on.
        self._promotion_demo_orders(
            rng, autumn, customers, products, count=3, prefix="K26-", confirm=False
        )

    def _promotion_demo_action(self, values):
        promotion = self.env["mkt.promotion"].create(dict(values, state="running"))
        return promotion

    @staticmethod
    def _promotion_demo_line(product, fixed_price=None, discount=None, min_quantity=0):
        if fixed_price is not None:
            condition = {"price_type": "fixed", "fixed_price": fixed_price}
        else:
            condition = {"price_type": "discount", "discount": discount}
        return Command.create(
            {"product_id": product.id, "min_quantity": min_quantity, **condition}
        )

    def _promotion_demo_orders(
        self,
        rng,
        promotion,
        customers,
        products,
        count,
        prefix,
        suffix="",
        confirm=True,
    ):
        """Orders quoting the action's reference, with its products and others."""
        action_products = promotion.line_ids.product_id
        others = list(products.values())
        orders = self.env["sale.order"]
        for _ in range(count):
            customer = rng.choice(customers)
            basket = rng.sample(list(action_products), k=min(2, len(action_products)))
            basket += rng.sample(others, k=rng.randint(1, 3))
            reference = (
                f"{prefix}{rng.randint(1000, 9999)}{suffix}"
                if prefix
                else promotion.code
            )
            orders |= self.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "mkt_promotion_code": reference,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": rng.randint(1, 4),
                            }
                        )
                        for product in dict.fromkeys(basket)
                    ],
                }
            )
        if confirm:
            for order in orders:
                order.action_confirm()
        return orders
