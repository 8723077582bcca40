from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.mkt_scoring.models.res_partner import TRENDS


class MktTrendSnapshot(models.Model):
    """A customer's revenue trend at the start of a month.

    The scoring keeps only today's trend; one row per customer and month,
    written by the segments cron, tells how many customers moved from one trend
    to another since last month (``mkt.trend.movement.report``).
    """

    _name = "mkt.trend.snapshot"
    _description = "Customer Trend of the Month"
    _order = "month desc, id"
    _log_access = False

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", required=True, readonly=True, ondelete="cascade", index=True
    )
    month = fields.Date(required=True, readonly=True, help="First day of the month.")
    trend = fields.Selection(TRENDS, readonly=True)

    _sql_constraints = [
        (
            "partner_month_uniq",
            "unique(company_id, partner_id, month)",
            "A customer's trend is kept once a month.",
        ),
    ]

    @api.model
    def _take(self, company, month=None):
        """Keep the company's current trends as those of ``month`` (default:
        this month), once: a second run of the month changes nothing."""
        month = month or fields.Date.context_today(self).replace(day=1)
        self.env["mkt.customer.score"].flush_model(["company_id", "trend"])
        self.env.cr.execute(
            SQL(
                """INSERT INTO mkt_trend_snapshot (company_id, partner_id, month, trend)
                   SELECT company_id, partner_id, %s, trend FROM mkt_customer_score
                    WHERE company_id = %s AND trend IS NOT NULL
                   ON CONFLICT DO NOTHING""",
                month,
                company.id,
            )
        )
        self.invalidate_model()
