from odoo.tests import tagged

from odoo.addons.mkt_analytics.tests.common import AnalyticsCommon


@tagged("post_install", "-at_install", "mkt")
class TestPosDemoData(AnalyticsCommon):
    """The demo's store tells its story on any database with the catalog and
    customers of mkt_scoring's demo, the same way every time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_cheese.default_code = "FW-0101"
        cls.product_wine.default_code = "FW-0201"
        cls.env["res.partner"].create(
            [
                {"name": f"Kunde {number}", "customer_rank": 1, "zip": "20095"}
                for number in range(5)
            ]
        )

    def generate(self):
        with self.env.cr.savepoint() as savepoint:
            self.env["mkt.demo.data"]._generate_pos()
            orders = self.env["pos.order"].search(
                [("config_id.name", "=", "Laden Hamburg")], order="id"
            )
            story = [
                (order.partner_id.name, order.amount_total, order.state)
                for order in orders
            ]
            segments = self.env["mkt.segment"].search(
                [("auto_key", "=like", "pos:%")]
            ) | self.env["mkt.segment"].search([("auto_key", "=like", "store:%")])
            names = sorted(segments.mapped("name"))
            savepoint.close()  # rolled back: the second run starts afresh
        self.env.invalidate_all()
        return story, names

    def test_store_with_paid_orders_and_its_segments(self):
        story, names = self.generate()
        self.assertEqual(len(story), 30)
        self.assertEqual({state for _name, _total, state in story}, {"paid"})
        self.assertTrue(all(name.startswith("Kunde ") for name, *_rest in story))
        self.assertEqual(
            names,
            [
                "Bought at point of sale: Laden Hamburg",
                "Bought at store: Filiale Hamburg",
            ],
        )
        self.assertEqual(self.generate(), (story, names), "deterministic")
