from odoo import fields, models


class MktCampaignStage(models.Model):
    """Columns of the campaign board (planning, running, evaluation ...)."""

    _name = "mkt.campaign.stage"
    _description = "Campaign Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in Kanban")
