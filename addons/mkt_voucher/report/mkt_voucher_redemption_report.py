"""Redemption report: codes issued and redeemed, orders, revenue, discount and
new customers per voucher program and channel.

One row per issued code (issued, redeemed, rate) and one per confirmed order
that used a voucher (orders, revenue, discount, new customer), so that every
measure sums correctly whatever the grouping, and the rate is the average over
the issued codes only (the order rows leave it empty).
"""

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.mkt_scoring.tools.order_sql import order_revenue

from ..tools.card_sql import issued_card


class MktVoucherRedemptionReport(models.Model):
    _name = "mkt.voucher.redemption.report"
    _description = "Voucher Redemption Report"
    _auto = False
    _order = "date desc"
    _rec_name = "program_id"

    date = fields.Date(readonly=True)
    program_id = fields.Many2one("loyalty.program", string="Voucher", readonly=True)
    source_id = fields.Many2one("utm.source", string="Channel", readonly=True)
    segment_id = fields.Many2one("mkt.segment", string="Segment", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    codes_issued = fields.Integer(readonly=True)
    codes_redeemed = fields.Integer(readonly=True)
    redemption_rate = fields.Float(
        string="Redemption Rate (%)", aggregator="avg", readonly=True
    )
    order_count = fields.Integer(string="Orders", readonly=True)
    revenue = fields.Float(string="Revenue (untaxed)", readonly=True)
    discount = fields.Float(string="Discount Granted", readonly=True)
    new_customer_count = fields.Integer(string="New Customers Won", readonly=True)

    @property
    def _table_query(self):
        return self._query()

    @api.model
    def _query(self):
        return SQL(
            """
            WITH redeemed AS (
                SELECT DISTINCT sol.coupon_id AS card_id
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                 WHERE sol.coupon_id IS NOT NULL AND so.state = 'sale'
            ), order_voucher AS (
                SELECT so.id AS order_id,
                       reward.program_id,
                       MIN(card.mkt_source_id) AS card_source_id,
                       -SUM(sol.price_subtotal) / COALESCE(NULLIF(so.currency_rate, 0), 1)
                           AS discount
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN loyalty_reward reward ON reward.id = sol.reward_id
             LEFT JOIN loyalty_card card ON card.id = sol.coupon_id
                 WHERE so.state = 'sale'
              GROUP BY so.id, reward.program_id
            )
            SELECT -card.id AS id,
                   card.create_date::date AS date,
                   card.program_id,
                   card.mkt_source_id AS source_id,
                   program.mkt_segment_id AS segment_id,
                   program.company_id,
                   card.partner_id,
                   NULL::integer AS order_id,
                   1 AS codes_issued,
                   (redeemed.card_id IS NOT NULL)::integer AS codes_redeemed,
                   CASE WHEN redeemed.card_id IS NULL THEN 0.0 ELSE 100.0 END
                       AS redemption_rate,
                   0 AS order_count,
                   0.0 AS revenue,
                   0.0 AS discount,
                   0 AS new_customer_count
              FROM loyalty_card card
              JOIN loyalty_program program ON program.id = card.program_id
         LEFT JOIN redeemed ON redeemed.card_id = card.id
             WHERE program.program_type IN ('coupons', 'promo_code', 'promotion')
               AND %(issued_card)s
            UNION ALL
            SELECT ov.order_id * 100000 + ov.program_id AS id,
                   so.date_order::date AS date,
                   ov.program_id,
                   COALESCE(ov.card_source_id, so.source_id) AS source_id,
                   program.mkt_segment_id AS segment_id,
                   so.company_id,
                   so.partner_id,
                   so.id AS order_id,
                   0, 0, NULL,
                   1,
                   %(revenue)s,
                   ov.discount,
                   (NOT EXISTS (
                       SELECT 1 FROM sale_order earlier
                         JOIN res_partner buyer ON buyer.id = earlier.partner_id
                        WHERE earlier.state = 'sale'
                          AND earlier.company_id = so.company_id
                          AND buyer.commercial_partner_id = customer.commercial_partner_id
                          AND (earlier.date_order, earlier.id) < (so.date_order, so.id)
                   ))::integer
              FROM order_voucher ov
              JOIN sale_order so ON so.id = ov.order_id
              JOIN res_partner customer ON customer.id = so.partner_id
              JOIN loyalty_program program ON program.id = ov.program_id
            """,
            revenue=order_revenue("so"),
            issued_card=issued_card("card"),
        )
