from odoo.tests import tagged

from .common import PromotionCommon


@tagged("post_install", "-at_install", "mkt")
class TestAdCostScore(PromotionCommon):
    """The advertising cost of the actions a customer answered counts in the
    customer's quality score (mkt_scoring's advertising cost criterion)."""

    def test_cost_per_piece_of_answered_actions_counts_in_the_score(self):
        self.env["mkt.score.criterion"].search(
            [("company_id", "=", self.company.id)]
        ).unlink()
        self.env["mkt.score.criterion"].create(
            {
                "name": "Advertising cost",
                "metric": "ad_cost",
                "period_months": 12,
                "band_ids": [
                    (0, 0, self.env["mkt.score.band"]._values_for(2, None, -10))
                ],
            }
        )
        cheap = self.create_promotion(code="CHEAP", circulation=1000, ad_cost=1000)
        dear = self.create_promotion(code="DEAR", circulation=1000, ad_cost=1500)
        self.create_order(self.private, mkt_promotion_code=cheap.code).action_confirm()
        self.create_order(self.business, mkt_promotion_code=cheap.code).action_confirm()
        self.create_order(self.business, mkt_promotion_code=dear.code).action_confirm()
        customers = self.private | self.business
        self.env["mkt.score.engine"]._score_partners(customers.ids, self.company)
        # 1.00 spent on the private customer, 2.50 on the business customer
        self.assertEqual(self.private.mkt_score, 0)
        self.assertEqual(self.business.mkt_score, -10)
