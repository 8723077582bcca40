from odoo.tests import TransactionCase, tagged

from odoo.addons.mkt_scoring.tools.bulk_history import generate


@tagged("post_install", "-at_install", "mkt")
class TestBenchDatagen(TransactionCase):
    """The bulk generator writes consistent facts that the ORM can read back."""

    def test_generates_the_requested_volume_consistently(self):
        summary = generate(
            self.env,
            partners=30,
            orders_per_partner=3,
            lines_per_order=2,
            refund_share=0.5,
        )
        self.assertEqual(summary.partners, 30)
        self.assertEqual(summary.orders, 90)
        self.assertEqual(summary.order_lines, 180)
        self.assertEqual(summary.invoices, 90)
        self.assertGreater(summary.credit_notes, 20)
        self.assertLess(summary.credit_notes, 70)

        partners = self.env["res.partner"].search([("ref", "=", "bench")])
        orders = self.env["sale.order"].search([("partner_id", "in", partners.ids)])
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        for order in orders[:10]:
            self.assertAlmostEqual(
                order.amount_total, sum(order.order_line.mapped("price_subtotal"))
            )
        moves = self.env["account.move"].search([("partner_id", "in", partners.ids)])
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        for move in moves:
            self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0.0)
            receivable = move.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            )
            self.assertAlmostEqual(
                receivable.amount_residual, move.amount_residual_signed
            )
        invoices = moves.filtered(lambda m: m.move_type == "out_invoice")
        refunds = moves - invoices
        self.assertEqual(
            {i.invoice_origin for i in invoices}, set(orders.mapped("name"))
        )
        self.assertTrue(all(r.reversed_entry_id in invoices for r in refunds))
        self.assertIn("not_paid", invoices.mapped("payment_state") + ["not_paid"])

    def test_refuses_to_run_twice_in_one_database(self):
        generate(self.env, partners=2, orders_per_partner=1)
        with self.assertRaises(RuntimeError):
            generate(self.env, partners=2, orders_per_partner=1)
