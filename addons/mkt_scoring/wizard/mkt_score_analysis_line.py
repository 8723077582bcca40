from odoo import api, fields, models
from odoo.tools import format_date


class MktScoreAnalysisLine(models.TransientModel):
    """One score interval of a customer quality analysis.

    A plain list of these lines is what staff export (Odoo's export).
    """

    _name = "mkt.score.analysis.line"
    _description = "Customer Quality Analysis Interval"
    _order = "analysis_id, score_from desc"

    analysis_id = fields.Many2one(
        "mkt.score.analysis", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="analysis_id.company_id")
    currency_id = fields.Many2one(related="analysis_id.currency_id")
    score_from = fields.Integer(string="Score From")
    score_to = fields.Integer(string="Score To")
    count = fields.Integer(string="Customers")
    cumulative_count = fields.Integer(
        string="Cumulative Customers",
        help="Customers with at least this score (this interval and the better ones).",
    )
    share = fields.Float(string="Share (%)", digits=(16, 2))
    cumulative_share = fields.Float(string="Cumulative Share (%)", digits=(16, 2))
    revenue = fields.Monetary()
    cumulative_revenue = fields.Monetary()

    @api.depends("score_from", "score_to")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.score_from} - {line.score_to}"

    # ------------------------------------------------------------------
    # Actions: every customer at or above the line's score
    # ------------------------------------------------------------------

    def action_open_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self._get_selection_name(),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": self._get_partner_domain(),
            "context": {"create": False},
        }

    def action_create_segment(self):
        self.ensure_one()
        segment = self.env["mkt.segment"].create(
            {
                "name": self._get_selection_name(),
                "domain": repr(self._get_partner_domain()),
                "company_id": self.company_id.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "mkt.segment",
            "res_id": segment.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_add_to_mailing_list(self):
        self.ensure_one()
        return self.env["mkt.segment.mailing.list"]._open_for(analysis_line=self)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _get_partner_domain(self):
        """Scored customers of the company with at least ``score_from`` points,
        as counted in ``cumulative_count``: commercial partners only, since
        contacts search their company's score but are not counted."""
        self.ensure_one()
        return [
            ("mkt_score_date", "!=", False),
            ("mkt_score", ">=", self.score_from),
            "|",
            ("parent_id", "=", False),
            ("is_company", "=", True),
        ]

    def _get_partner_query(self):
        self.ensure_one()
        return (
            self.env["res.partner"]
            .with_company(self.company_id)
            ._search(self._get_partner_domain())
        )

    def _get_selection_name(self):
        return self.env._(
            "Score %(score)s or more (%(date)s)",
            score=self.score_from,
            date=format_date(self.env, self.analysis_id.date),
        )
