from odoo import api, fields, models

from .res_partner import TRENDS


class MktCustomerScore(models.Model):
    """The current score of a customer in a company, written by the scoring run.

    A narrow table of its own rather than columns of res_partner: the daily run
    rewrites every row, and a small row with few indexes, in pages left a
    quarter free (see ``init``), is rewritten in place (HOT) many times faster
    than a res_partner row with its many indexes. The res.partner fields
    ``mkt_score``, ``mkt_class_id``, ... read and search this table.

    Only the scoring engine writes it, so it has no create/write user and date
    (``score_date`` says when): two foreign keys less to check for each of the
    rows the first run inserts. Its one index on partner_id is the unique one.
    """

    _name = "mkt.customer.score"
    _description = "Customer Score"
    _order = "score desc, id"
    _rec_name = "partner_id"
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    score = fields.Integer(aggregator="avg")
    class_id = fields.Many2one(
        "mkt.customer.class", string="Class", ondelete="set null"
    )
    score_date = fields.Date(
        string="Changed On",
        help="When the score was last written: when it changed, or was computed on "
        "its own. The nightly run confirms the unchanged scores without rewriting "
        "them.",
    )
    confirmed_date = fields.Date(
        string="Scored On",
        compute="_compute_confirmed_date",
        help="When the score was last computed, changed or not.",
    )
    trend = fields.Selection(TRENDS)
    details = fields.Text(
        help="Value and points per criterion: {criterion id: [value, points]}; "
        "recency and customer age hold the date they are counted from."
    )
    details_fingerprint = fields.Integer(
        string="Breakdown Fingerprint",
        help="A hash of the breakdown's values and points: the scoring run rewrites "
        "the breakdown only when it changes.",
    )

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "A customer has one score per company.",
        ),
    ]

    @api.depends("score_date", "partner_id", "company_id")
    def _compute_confirmed_date(self):
        engine = self.env["mkt.score.engine"]
        for score in self:
            score.confirmed_date = engine._confirmed_date(
                score.company_id, score.partner_id.id, score.score_date
            )

    def init(self):
        # Room in each page for the daily rewrite of the row: HOT updates.
        self.env.cr.execute("ALTER TABLE mkt_customer_score SET (fillfactor = 70)")
