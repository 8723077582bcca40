"""Customers with an order history, built through the ORM in a few batched calls.

Used by the demo data and by the tests of every add-on of the suite, so that all
of them see the same kind of history: confirmed sales orders, posted invoices,
payments on time or late, open overdue invoices and credit notes for returns.
Benchmarks that need millions of rows use ``tests/bench/datagen.py`` instead,
which writes the same facts with bulk SQL.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from odoo.tools import SQL


@dataclass
class PlannedOrder:
    partner: object
    order_date: date
    lines: list  # [(product, quantity, unit price or None for the list price)]
    invoice: bool = True
    paid_on: date | None = None
    returned_share: float = 0.0  # share of each line's quantity credited back
    returned_on: date | None = None
    extra_values: dict = field(default_factory=dict)


class OrderHistoryBuilder:
    """Collects planned orders, then creates them all with ``build()``.

    Example::

        builder = OrderHistoryBuilder(env)
        builder.add_order(partner, date(2025, 3, 1), [(cheese, 2, None)],
                          paid_on=date(2025, 3, 20))
        orders = builder.build()
    """

    def __init__(self, env):
        # History is not news: no chatter messages or tracking for it.
        self.env = env(
            context=dict(
                env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
            )
        )
        self.planned = []

    def add_order(self, partner, order_date, lines, **options):
        self.planned.append(PlannedOrder(partner, order_date, lines, **options))
        return self

    def build(self):
        """Create, confirm and invoice every planned order; return the orders."""
        if not self.planned:
            return self.env["sale.order"]
        orders = self._create_confirmed_orders()
        invoices = self._create_posted_invoices(orders)
        self._register_payments(invoices)
        self._create_credit_notes(invoices)
        self.planned = []
        return orders

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def _create_confirmed_orders(self):
        SaleOrder = self.env["sale.order"]
        # A payment term makes the due date follow the (back-dated) invoice date.
        payment_term = self.env.ref("account.account_payment_term_30days")
        orders = SaleOrder.create(
            [
                {
                    "partner_id": plan.partner.id,
                    "payment_term_id": payment_term.id,
                    "date_order": datetime.combine(plan.order_date, time(10)),
                    "order_line": [
                        (0, 0, self._order_line_values(product, qty, price))
                        for product, qty, price in plan.lines
                    ],
                    **plan.extra_values,
                }
                for plan in self.planned
            ]
        )
        orders.action_confirm()
        # Confirmation stamps today's date; the history needs the planned one.
        # One UPDATE instead of one write per order.
        orders.flush_recordset()
        self.env.cr.execute(
            SQL(
                """UPDATE sale_order AS so SET date_order = v.date_order
                     FROM (VALUES %s) AS v(id, date_order)
                    WHERE so.id = v.id""",
                SQL(", ").join(
                    SQL("(%s, %s::timestamp)", order.id, plan_date)
                    for order, plan_date in zip(
                        orders,
                        (
                            datetime.combine(p.order_date, time(10))
                            for p in self.planned
                        ),
                        strict=True,
                    )
                ),
            )
        )
        orders.invalidate_recordset(["date_order"])
        return orders

    @staticmethod
    def _order_line_values(product, quantity, price_unit):
        values = {"product_id": product.id, "product_uom_qty": quantity}
        if price_unit is not None:
            values["price_unit"] = price_unit
        return values

    def _create_posted_invoices(self, orders):
        """Invoice the orders that plan it, dated on the order day.

        Returns {id(plan): (plan, invoice)}.
        """
        plan_by_order = dict(zip(orders, self.planned, strict=True))
        to_invoice = orders.filtered(lambda o: plan_by_order[o].invoice)
        if not to_invoice:
            return {}
        moves = to_invoice._create_invoices(grouped=True)
        invoices = {}
        moves_by_date = defaultdict(lambda: self.env["account.move"])
        for move in moves:
            plan = plan_by_order[move.line_ids.sale_line_ids.order_id]
            invoices[id(plan)] = (plan, move)
            moves_by_date[plan.order_date] |= move
        for invoice_date, dated_moves in moves_by_date.items():
            dated_moves.write({"invoice_date": invoice_date})
        moves.action_post()
        return invoices

    def _register_payments(self, invoices):
        moves_by_payment_date = defaultdict(lambda: self.env["account.move"])
        for plan, move in invoices.values():
            if plan.paid_on:
                moves_by_payment_date[plan.paid_on] |= move
        for payment_date, moves in sorted(moves_by_payment_date.items()):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=moves.ids
            ).create(
                {"payment_date": payment_date, "group_payment": False}
            )._create_payments()

    def _create_credit_notes(self, invoices):
        values = []
        for plan, move in invoices.values():
            if plan.returned_share <= 0:
                continue
            refund_lines = [
                (
                    0,
                    0,
                    {
                        "product_id": line.product_id.id,
                        "quantity": line.quantity * plan.returned_share,
                        "price_unit": line.price_unit,
                        "tax_ids": [(6, 0, line.tax_ids.ids)],
                        "sale_line_ids": [(6, 0, line.sale_line_ids.ids)],
                    },
                )
                for line in move.invoice_line_ids
                if line.display_type == "product"
            ]
            values.append(
                {
                    "move_type": "out_refund",
                    "partner_id": move.partner_id.id,
                    "invoice_date": plan.returned_on or plan.order_date,
                    "reversed_entry_id": move.id,
                    "ref": move.name,
                    "invoice_line_ids": refund_lines,
                }
            )
        if values:
            self.env["account.move"].create(values).action_post()
