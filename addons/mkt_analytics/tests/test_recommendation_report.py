from odoo.tests import tagged

from .common import AnalyticsCommon


@tagged("post_install", "-at_install", "mkt")
class TestRecommendationReport(AnalyticsCommon):
    """What the recommended products earned: the recipient's order lines of
    the product within the attribution window (30 days) after the mail."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_cheese.list_price = 20.0
        cls.product_wine.list_price = 15.0

    def recommend(self, mailing, partner, product, days_ago, rank=1):
        return self.env["mkt.recommendation.mail"].create(
            {
                "mailing_id": mailing.id,
                "res_model": "res.partner",
                "res_id": partner.id,
                "partner_id": partner.id,
                "product_id": product.id,
                "company_id": self.company.id,
                "reason": "bought_together",
                "rank": rank,
                "sent_at": self.ago(days_ago),
            }
        )

    def report(self, sent):
        self.env.flush_all()
        self.env["mkt.recommendation.report"].invalidate_model()
        return self.env["mkt.recommendation.report"].search([("id", "in", sent.ids)])

    def test_revenue_of_the_recommended_product_within_the_window(self):
        wine = self.recommend(self.mailing_autumn, self.anna, self.product_wine, 5)
        cheese = self.recommend(
            self.mailing_autumn, self.anna, self.product_cheese, 5, rank=2
        )
        self.add_trace(self.mailing_autumn, self.anna, sent=5)
        self.confirm_order(self.anna, [(self.product_wine, 2), (self.product_oil, 1)])
        rows = {row.product_id: row for row in self.report(wine | cheese)}
        self.assertEqual(
            (
                rows[self.product_wine].bought,
                rows[self.product_wine].order_count,
                rows[self.product_wine].quantity,
                rows[self.product_wine].revenue,
            ),
            (1, 1, 2.0, 30.0),
            "only the recommended product's line counts, not the oil",
        )
        self.assertEqual(
            (rows[self.product_cheese].bought, rows[self.product_cheese].revenue),
            (0, 0.0),
        )

    def test_outside_the_window_or_by_someone_else_earns_nothing(self):
        late = self.recommend(self.mailing_autumn, self.anna, self.product_wine, 40)
        other = self.recommend(self.mailing_autumn, self.bert, self.product_wine, 5)
        self.confirm_order(self.anna, [(self.product_wine, 1)])
        rows = self.report(late | other)
        self.assertEqual(rows.mapped("revenue"), [0.0, 0.0])
        self.set_rule(window=60)
        self.assertEqual(self.report(late).revenue, 15.0, "within 60 days")

    def test_a_line_counts_for_the_last_mail_only(self):
        first = self.recommend(self.mailing_autumn, self.anna, self.product_wine, 20)
        second = self.recommend(self.mailing_advent, self.anna, self.product_wine, 5)
        self.confirm_order(self.anna, [(self.product_wine, 1)])
        rows = {row.mailing_id: row.revenue for row in self.report(first | second)}
        self.assertEqual(rows, {self.mailing_autumn: 0.0, self.mailing_advent: 15.0})

    def test_contact_person_buys_for_the_company(self):
        shop = self.env["res.partner"].create(
            {"name": "Feinkost Nord", "is_company": True}
        )
        buyer = self.env["res.partner"].create({"name": "Buyer", "parent_id": shop.id})
        sent = self.recommend(self.mailing_autumn, shop, self.product_wine, 5)
        self.confirm_order(buyer, [(self.product_wine, 4)])
        self.assertEqual(self.report(sent).revenue, 60.0)

    def test_undelivered_mails_are_left_out(self):
        sent = self.recommend(self.mailing_autumn, self.anna, self.product_wine, 5)
        self.add_trace(self.mailing_autumn, self.anna, sent=5, trace_status="bounce")
        self.assertFalse(self.report(sent))

    def test_marketing_user_reads_the_report(self):
        sent = self.recommend(self.mailing_autumn, self.anna, self.product_wine, 5)
        self.confirm_order(self.anna, [(self.product_wine, 1)])
        self.env.flush_all()
        groups = (
            self.env["mkt.recommendation.report"]
            .with_user(self.user_marketing)
            ._read_group([("id", "=", sent.id)], ["reason"], ["revenue:sum", "__count"])
        )
        self.assertEqual(groups, [("bought_together", 15.0, 1)])
