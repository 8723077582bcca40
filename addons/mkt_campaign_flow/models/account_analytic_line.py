from odoo import fields, models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    mkt_campaign_activity_id = fields.Many2one(
        "mkt.campaign.activity",
        string="Campaign Step",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The campaign step whose costs this line books.",
    )
