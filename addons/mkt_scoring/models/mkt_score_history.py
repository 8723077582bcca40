from odoo import fields, models


class MktScoreHistory(models.Model):
    """A change of a customer's class, written by the scoring run."""

    _name = "mkt.score.history"
    _description = "Customer Class History"
    _order = "date desc, id desc"
    # Written in bulk by the scoring run, a row per class change and one for
    # each customer's first class: the date says when, and the creator is
    # always the run. Without the log columns, the first run of a database
    # checks two foreign keys less for each of its (many) rows.
    _log_access = False

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
