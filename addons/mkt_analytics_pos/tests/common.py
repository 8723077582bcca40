from odoo import Command

from odoo.addons.mkt_analytics.tests.common import AnalyticsCommon


class PosCommon(AnalyticsCommon):
    """A store (warehouse "Filiale Hamburg") with its point of sale shop
    "Laden Hamburg" and an open session, and ``pos_order`` to write paid (or
    other) POS orders in it, as the till would after payment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store = cls.env["stock.warehouse"].create(
            {"name": "Filiale Hamburg", "code": "FHH"}
        )
        cls.shop = cls.create_shop("Laden Hamburg", cls.store)

    @classmethod
    def create_shop(cls, name, store, company=None):
        env = cls.env(
            context=dict(
                cls.env.context, allowed_company_ids=[(company or cls.company).id]
            )
        )
        shop = env["pos.config"].create(
            {
                "name": name,
                "picking_type_id": store.pos_type_id.id,
                # No payment methods: the tests write paid orders, and the
                # other company has no chart of accounts to create them from.
                "payment_method_ids": [Command.clear()],
            }
        )
        env["pos.session"].create({"config_id": shop.id})
        return shop

    @classmethod
    def pos_order(
        cls,
        partner,
        lines,
        shop=None,
        state="paid",
        days_ago=0,
        lines_values=None,
        **values,
    ):
        """A POS order of ``partner`` at ``shop``; ``lines`` are (product,
        quantity, unit price) triples, untaxed; ``lines_values`` go to each
        line, ``values`` to the order."""
        shop = shop or cls.shop
        total = sum(qty * price for _product, qty, price in lines)
        return cls.env["pos.order"].create(
            {
                "session_id": shop.current_session_id.id,
                "company_id": shop.company_id.id,
                "partner_id": partner.id if partner else False,
                "date_order": cls.ago(days_ago) if days_ago else cls.now,
                "amount_tax": 0.0,
                "amount_total": total,
                "amount_paid": total,
                "amount_return": 0.0,
                "state": state,
                "lines": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "qty": qty,
                            "price_unit": price,
                            "price_subtotal": qty * price,
                            "price_subtotal_incl": qty * price,
                            **(lines_values or {}),
                        }
                    )
                    for product, qty, price in lines
                ],
                **values,
            }
        )
