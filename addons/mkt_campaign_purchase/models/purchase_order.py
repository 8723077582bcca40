from odoo import fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    mkt_campaign_id = fields.Many2one(
        "mkt.campaign",
        string="Campaign",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
        help="The campaign whose expected orders this order was proposed for.",
    )

    def action_view_mkt_campaign(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mkt.campaign",
            "view_mode": "form",
            "res_id": self.mkt_campaign_id.id,
        }
