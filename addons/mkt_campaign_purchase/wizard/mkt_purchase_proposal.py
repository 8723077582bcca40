from odoo import fields, models


class MktPurchaseProposal(models.TransientModel):
    _inherit = "mkt.purchase.proposal"

    campaign_id = fields.Many2one("mkt.campaign", readonly=True)

    def _get_demand_source(self):
        self.ensure_one()
        return self.campaign_id or super()._get_demand_source()
