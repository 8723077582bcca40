from odoo import Command

from odoo.addons.mkt_campaign_flow.tests.common import CampaignCommon
from odoo.addons.mkt_promotions_purchase.tests.common import PurchaseProposalCommon


class CampaignPurchaseCommon(PurchaseProposalCommon, CampaignCommon):
    """The promotion proposals' goods, vendors and buyer, and the campaign
    fixtures' segment of six customers; campaigns offering articles."""

    @classmethod
    def create_campaign_with_offer(cls, offer, rate=50.0, **values):
        """A campaign on the six customers' segment offering ``offer``:
        (product, quantity per order) pairs."""
        return cls.create_campaign(
            response_rate=rate,
            product_ids=[
                Command.create({"product_id": product.id, "qty_per_order": qty})
                for product, qty in offer
            ],
            **values,
        )
