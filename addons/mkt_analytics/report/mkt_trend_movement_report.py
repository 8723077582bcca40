from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.mkt_scoring.models.res_partner import TRENDS


class MktTrendMovementReport(models.Model):
    """Each customer's trend now against the one kept last month: a pivot of
    previous trend by current trend counts who moved where."""

    _name = "mkt.trend.movement.report"
    _description = "Customer Trend Movements"
    _auto = False
    _order = "partner_id"

    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    month = fields.Date(string="Compared With", readonly=True)
    previous_trend = fields.Selection(TRENDS, string="Trend Last Month", readonly=True)
    current_trend = fields.Selection(TRENDS, string="Trend Now", readonly=True)
    moved = fields.Boolean(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT score.id, score.company_id, score.partner_id,
                           last.month, last.trend AS previous_trend,
                           score.trend AS current_trend,
                           last.trend IS DISTINCT FROM score.trend AS moved
                      FROM mkt_customer_score score
                      JOIN LATERAL (
                            SELECT snap.month, snap.trend FROM mkt_trend_snapshot snap
                             WHERE snap.company_id = score.company_id
                               AND snap.partner_id = score.partner_id
                               AND snap.month < date_trunc('month', now())::date
                             ORDER BY snap.month DESC LIMIT 1
                           ) last ON TRUE
                )
                """,
                SQL.identifier(self._table),
            )
        )
