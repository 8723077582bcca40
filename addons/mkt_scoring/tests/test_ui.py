from datetime import date

from odoo.tests import HttpCase, tagged

from .common import MktCommon


@tagged("post_install", "-at_install", "mkt")
class TestMarketingAppUi(HttpCase, MktCommon):
    def test_marketing_app_tour(self):
        self.start_tour("/odoo", "mkt_marketing_app_tour", login="mkt_manager")


@tagged("post_install", "-at_install", "mkt")
class TestSegmentAnalysisUi(HttpCase, MktCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        scores = {
            "Analysis Top 0": 480,
            "Analysis Top 1": 450,
            "Analysis Top 2": 420,
            "Analysis Low 0": 150,
            "Analysis Low 1": 120,
        }
        partners = cls.env["res.partner"].create(
            [{"name": name, "customer_rank": 1, "is_company": True} for name in scores]
        )
        # What a scoring run writes.
        cls.env["mkt.customer.score"].create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": cls.company.id,
                    "score": scores[partner.name],
                    "score_date": date.today(),
                }
                for partner in partners
            ]
        )
        cls.top = partners.filtered(lambda p: p.name.startswith("Analysis Top"))

    def test_segment_from_the_analysis_top_customers(self):
        self.start_tour("/odoo", "mkt_segment_analysis_tour", login="mkt_user")
        segment = self.env["mkt.segment"].search(
            [("name", "like", "Score 400 or more")]
        )
        self.assertEqual(len(segment), 1)
        self.assertEqual(set(segment._get_partner_ids()), set(self.top.ids))
