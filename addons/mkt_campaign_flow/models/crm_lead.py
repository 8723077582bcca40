from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    mkt_participant_id = fields.Many2one(
        "mkt.campaign.participant",
        string="Campaign Participation",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
