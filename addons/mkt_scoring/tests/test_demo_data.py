import random

from odoo import Command
from odoo.tests import tagged

from odoo.addons.mkt_scoring.models.mkt_demo_data import SEED

from .common import MktCommon


@tagged("post_install", "-at_install", "mkt")
class TestDemoData(MktCommon):
    def test_generator_tells_the_story_deterministically(self):
        Partner = self.env["res.partner"]
        before = Partner.search([]).ids
        self.env["mkt.demo.data"]._generate(b2c_count=12, b2b_count=4)
        customers = Partner.search(
            [("id", "not in", before), ("customer_rank", ">", 0)]
        )
        self.assertEqual(len(customers), 16)
        self.assertEqual(len(customers.filtered("is_company")), 4)
        self.assertEqual(set(customers.country_id.mapped("code")), {"DE"})
        orders = self.env["sale.order"].search([("partner_id", "in", customers.ids)])
        self.assertGreater(len(orders), 40)
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        oldest = min(orders.mapped("date_order")).date()
        newest = max(orders.mapped("date_order")).date()
        self.assertGreater((newest - oldest).days, 365, "two years of history")
        invoices = orders.invoice_ids
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        payment_states = set(invoices.mapped("payment_state"))
        self.assertTrue(payment_states & {"paid", "in_payment"}, "most are paid")
        self.assertIn("not_paid", payment_states, "some stay open: dunning material")
        refunds = self.env["account.move"].search(
            [("move_type", "=", "out_refund"), ("partner_id", "in", customers.ids)]
        )
        self.assertTrue(refunds, "some goods come back: returns")
        self.assertTrue(all(customers.mapped("mkt_score_date")), "scored at once")
        self.assertGreater(len(customers.mapped("mkt_class_id")), 1, "several classes")

    def test_same_seed_same_customers(self):
        Demo = self.env["mkt.demo.data"]
        first = Demo._generate_customers(random.Random(SEED), 5, 2)
        second = Demo._generate_customers(random.Random(SEED), 5, 2)
        self.assertEqual(
            [(p.name, p.zip, profile) for p, profile in first],
            [(p.name, p.zip, profile) for p, profile in second],
        )

    def test_recommendations_in_a_demo_mailing(self):
        Demo = self.env["mkt.demo.data"]
        Demo._generate(b2c_count=30, b2b_count=4)
        Demo._demo_recommendations()
        mailings = self.env["mailing.mailing"].search(
            [("subject", "like", "Unsere Empfehlungen für Sie")]
        )
        self.assertEqual(sorted(mailings.mapped("state")), ["done", "draft"])
        sent = self.env["mkt.recommendation.mail"].search(
            [("mailing_id", "in", mailings.ids)]
        )
        self.assertTrue(sent, "the sent mailing recommended products")
        self.assertEqual(sent.mailing_id.state, "done")
        recommended = self.env["mkt.recommendation"].search(
            [("partner_id", "in", sent.partner_id.ids)]
        )
        self.assertTrue(recommended)
        self.assertIn("accessory", recommended.mapped("reason"))
        draft = mailings.filtered(lambda m: m.state == "draft")
        partner = recommended.partner_id[:1]
        body = draft._render_field("body_html", partner.ids)[partner.id]
        first = recommended.filtered(lambda r: r.partner_id == partner)[:1]
        self.assertIn(first.product_id.name, body)
        self.assertIn(first.product_id.default_code, body, "the item number")

    def test_sample_companies_are_archived(self):
        """Odoo's sample demo companies are no part of the story: nobody works
        in them."""
        company = self.env["res.company"].create({"name": "DE Company"})
        self.env["ir.model.data"].create(
            {
                "module": "base",
                "name": "demo_company_de",
                "model": "res.company",
                "res_id": company.id,
            }
        )
        admin = self.env.ref("base.user_admin")
        admin.company_ids = [Command.link(company.id)]
        self.env["mkt.demo.data"]._archive_sample_companies()
        self.assertFalse(company.active)
        self.assertNotIn(company, admin.company_ids)
        self.assertIn(self.env.company, admin.company_ids)
