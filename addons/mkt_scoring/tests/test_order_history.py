from datetime import date, timedelta

from odoo.tests import tagged

from odoo.addons.mkt_scoring.tools.order_history import OrderHistoryBuilder

from .common import DATE_A, DATE_B, MktCommon


@tagged("post_install", "-at_install", "mkt")
class TestOrderHistory(MktCommon):
    def test_orders_are_confirmed_invoiced_and_dated(self):
        partners = self.create_customers_with_history(
            3, [DATE_A, DATE_B], paid_on=DATE_B + timedelta(days=10)
        )
        orders = self.env["sale.order"].search([("partner_id", "in", partners.ids)])
        self.assertEqual(len(orders), 6)
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        self.assertEqual(
            sorted({o.date_order.date() for o in orders}), [DATE_A, DATE_B]
        )
        invoices = orders.invoice_ids
        self.assertEqual(len(invoices), 6, "one invoice per order")
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertEqual(set(invoices.mapped("invoice_date")), {DATE_A, DATE_B})
        self.assertEqual(set(invoices.mapped("amount_untaxed")), {40.0})
        self.assertTrue(
            all(inv.payment_state in ("paid", "in_payment") for inv in invoices)
        )

    def test_unpaid_late_payment_and_return(self):
        partner = self.env["res.partner"].create({"name": "Mixed history"})
        builder = OrderHistoryBuilder(self.env)
        builder.add_order(partner, date(2025, 1, 10), [(self.product_wine, 4, 12.5)])
        builder.add_order(
            partner,
            date(2025, 2, 10),
            [(self.product_cheese, 2, None)],
            paid_on=date(2025, 4, 30),
            returned_share=0.5,
            returned_on=date(2025, 2, 20),
        )
        builder.add_order(
            partner, date(2025, 3, 1), [(self.product_cheese, 1, None)], invoice=False
        )
        orders = builder.build()
        self.assertEqual(len(orders), 3)
        unpaid, late, uninvoiced = orders
        self.assertEqual(unpaid.invoice_ids.amount_residual, 50.0)
        self.assertEqual(unpaid.invoice_ids.payment_state, "not_paid")
        self.assertEqual(unpaid.invoice_ids.invoice_date_due, date(2025, 2, 9))
        self.assertFalse(uninvoiced.invoice_ids)
        late_invoice = late.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        payment_lines = late_invoice.line_ids.matched_credit_ids.credit_move_id
        self.assertEqual(set(payment_lines.mapped("date")), {date(2025, 4, 30)})
        refund = late.invoice_ids - late_invoice
        self.assertEqual(refund.reversed_entry_id, late_invoice)
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.invoice_date, date(2025, 2, 20))
        self.assertEqual(refund.amount_untaxed, 20.0, "half of 2 x 20.00 returned")
        self.assertEqual(
            late.order_line.qty_invoiced, 1.0, "the return shows on the order"
        )

    def test_empty_builder_creates_nothing(self):
        self.assertFalse(OrderHistoryBuilder(self.env).build())
