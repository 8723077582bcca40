from odoo import models
from odoo.tools import SQL


class MktScoreEngine(models.AbstractModel):
    _inherit = "mkt.score.engine"

    def _ad_costs_sql(self, company):
        """Each order under a promotion action cost the action's cost per piece
        for its customer (the medium that customer answered)."""
        return SQL(
            """%(base)s
            UNION ALL
            SELECT customer.commercial_partner_id, so.date_order::date AS day,
                   p.ad_cost / p.circulation AS amount
              FROM sale_order so
              JOIN mkt_promotion p ON p.id = so.mkt_promotion_id
              JOIN res_partner customer ON customer.id = so.partner_id
             WHERE so.state = 'sale' AND so.company_id = %(company)s
               AND p.circulation > 0 AND p.ad_cost > 0""",
            base=super()._ad_costs_sql(company),
            company=company.id,
        )
