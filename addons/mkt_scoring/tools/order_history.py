"""Customers with an order history, built through the ORM in a few batched calls.

Used by the demo data and by the tests of every add-on of the suite, so that all
of them see the same kind of history: confirmed sales orders, posted invoices,
payments on time or late, open overdue invoices and credit notes for returns.
Benchmarks that need millions of rows use ``tests/bench/datagen.py`` instead,
which writes the same facts with bulk SQL.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from time import monotonic

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


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
        started = monotonic()
        orders = self._create_confirmed_orders()
        invoices = self._create_posted_invoices(orders)
        self._register_payments(invoices)
        self._create_credit_notes(invoices)
        _logger.info(
            "Order history: %d orders, %d invoices in %.1f s",
            len(orders),
            len(invoices),
            monotonic() - started,
        )
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
        """Pay the invoices on their planned day.

        One bank entry per payment day, with a line per invoice, reconciled in
        one batch: the payment dates are what history needs, and this is many
        times faster than one ``account.payment`` per invoice.
        """
        invoices_by_day = defaultdict(list)
        for plan, move in invoices.values():
            if plan.paid_on:
                invoices_by_day[plan.paid_on].append(move)
        if not invoices_by_day:
            return
        company = self.env.company
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
        )
        entries_values, receivable_pairs = [], []
        for payment_day, moves in sorted(invoices_by_day.items()):
            receivables = [
                move.line_ids.filtered(
                    lambda line: line.account_id.account_type == "asset_receivable"
                )
                for move in moves
            ]
            total = sum(line.amount_residual for line in receivables)
            entries_values.append(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": payment_day,
                    "ref": "Customer payments",
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "account_id": journal.default_account_id.id,
                                "debit": total,
                            },
                        )
                    ]
                    + [
                        (
                            0,
                            0,
                            {
                                "account_id": line.account_id.id,
                                "partner_id": line.partner_id.id,
                                "name": line.move_id.name,
                                "credit": line.amount_residual,
                            },
                        )
                        for line in receivables
                    ],
                }
            )
            receivable_pairs.append(receivables)
        entries = self.env["account.move"].create(entries_values)
        entries.action_post()
        plan = []
        for entry, receivables in zip(entries, receivable_pairs, strict=True):
            payment_lines = entry.line_ids.filtered(lambda line: line.credit)
            for invoice_line, payment_line in zip(
                receivables, payment_lines, strict=True
            ):
                plan.append(invoice_line + payment_line)
        self.env["account.move.line"]._reconcile_plan(plan)

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
