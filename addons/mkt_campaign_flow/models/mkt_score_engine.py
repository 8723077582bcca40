from odoo import models
from odoo.tools import SQL


class MktScoreEngine(models.AbstractModel):
    _inherit = "mkt.score.engine"

    def _ad_costs_sql(self, company):
        """Add what the campaigns spent per participant: the step's cost per
        participant plus its share of the step's fixed cost, on the day the
        step reached the participant."""
        return SQL(
            """%s UNION ALL
            SELECT p.partner_id, t.processed_at::date AS day,
                   (COALESCE(a.unit_cost, 0) + COALESCE(a.fixed_cost, 0)
                        / count(*) OVER (PARTITION BY t.activity_id))::numeric AS amount
              FROM mkt_campaign_trace t
              JOIN mkt_campaign_participant p ON p.id = t.participant_id
              JOIN mkt_campaign_activity a ON a.id = t.activity_id
              JOIN mkt_campaign c ON c.id = t.campaign_id
             WHERE t.state = 'processed' AND NOT p.is_test
               AND c.company_id = %s AND (a.unit_cost > 0 OR a.fixed_cost > 0)""",
            super()._ad_costs_sql(company),
            company.id,
        )
