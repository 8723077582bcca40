from odoo import fields, models


class MktScoreHistory(models.Model):
    """A change of a customer's class, written by the scoring run."""

    _name = "mkt.score.history"
    _description = "Customer Class History"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    score = fields.Integer()
    class_id = fields.Many2one(
        "mkt.customer.class", string="Class", ondelete="set null"
    )
    previous_class_id = fields.Many2one(
        "mkt.customer.class", string="Previous Class", ondelete="set null"
    )
