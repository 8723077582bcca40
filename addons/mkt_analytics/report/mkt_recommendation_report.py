"""What the products recommended in mails earned.

One row per product recommended to a customer in a mail
(``mkt.recommendation.mail``): the confirmed order lines of that product by
that customer (or a contact of theirs) within the company's attribution window
(``mkt_attribution_window_days``) after the mail. An order line counts for the
last mail before it that recommended its product, never for two. Mails that
were not delivered (cancelled, bounced, failed) earn nothing.
"""

from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.mkt_scoring.models.mkt_recommendation import REASONS
from odoo.addons.mkt_scoring.tools.order_sql import order_line_revenue


class MktRecommendationReport(models.Model):
    _name = "mkt.recommendation.report"
    _description = "Recommendation Revenue"
    _auto = False
    _order = "sent_at desc, id desc"
    _depends = {
        "mkt.recommendation.mail": [
            "mailing_id",
            "res_model",
            "res_id",
            "partner_id",
            "product_id",
            "company_id",
            "reason",
            "rank",
            "discount",
            "sent_at",
        ],
        "mailing.trace": ["mass_mailing_id", "model", "res_id", "trace_status"],
        "res.company": ["mkt_attribution_window_days", "currency_id"],
        "sale.order": ["state", "company_id", "partner_id", "date_order"],
        "sale.order.line": [
            "order_id",
            "product_id",
            "price_subtotal",
            "product_uom_qty",
        ],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    sent_at = fields.Datetime(string="Sent On", readonly=True)
    mailing_id = fields.Many2one("mailing.mailing", string="Mailing", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    reason = fields.Selection(REASONS, readonly=True)
    rank = fields.Integer(readonly=True, aggregator=False)
    discount = fields.Float(
        string="Personal Discount (%)", readonly=True, aggregator="avg"
    )
    recommended = fields.Integer(
        readonly=True, help="1 per product recommended in a mail: sums to a count."
    )
    bought = fields.Integer(
        string="Bought",
        readonly=True,
        help="1 when the customer bought the product within the attribution window.",
    )
    order_count = fields.Integer(string="Orders", readonly=True)
    quantity = fields.Float(readonly=True)
    revenue = fields.Monetary(
        readonly=True,
        help="Untaxed amount of the order lines of the product, in the company's "
        "currency.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    WITH sent AS (
                        SELECT r.*, c.currency_id,
                               r.sent_at + c.mkt_attribution_window_days
                                   * interval '1 day' AS window_end
                          FROM mkt_recommendation_mail r
                          JOIN res_company c ON c.id = r.company_id
                         WHERE r.mailing_id IS NULL OR NOT EXISTS (
                               SELECT 1 FROM mailing_trace t
                                WHERE t.mass_mailing_id = r.mailing_id
                                  AND t.model = r.res_model AND t.res_id = r.res_id
                                  AND t.trace_status IN ('cancel', 'bounce', 'error'))
                    ),
                    earned AS (
                        SELECT DISTINCT ON (sol.id) s.id AS sent_id, so.id AS order_id,
                               sol.product_uom_qty AS quantity,
                               %(line_revenue)s AS revenue
                          FROM sent s
                          JOIN res_partner buyer
                            ON buyer.commercial_partner_id = s.partner_id
                          JOIN sale_order so
                            ON so.partner_id = buyer.id AND so.state = 'sale'
                           AND so.company_id = s.company_id
                           AND so.date_order >= s.sent_at
                           AND so.date_order < s.window_end
                          JOIN sale_order_line sol
                            ON sol.order_id = so.id AND sol.product_id = s.product_id
                         ORDER BY sol.id, s.sent_at DESC, s.id DESC
                    ),
                    totals AS (
                        SELECT sent_id, count(DISTINCT order_id) AS order_count,
                               sum(quantity) AS quantity, sum(revenue) AS revenue
                          FROM earned GROUP BY sent_id
                    )
                    SELECT s.id, s.company_id, s.currency_id, s.sent_at, s.mailing_id,
                           s.partner_id, s.product_id, pt.categ_id, s.reason, s.rank,
                           s.discount, 1 AS recommended,
                           (t.sent_id IS NOT NULL)::int AS bought,
                           COALESCE(t.order_count, 0) AS order_count,
                           COALESCE(t.quantity, 0) AS quantity,
                           COALESCE(t.revenue, 0) AS revenue
                      FROM sent s
                      JOIN product_product pp ON pp.id = s.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                      LEFT JOIN totals t ON t.sent_id = s.id
                )
                """,
                table=SQL.identifier(self._table),
                line_revenue=order_line_revenue("sol", "so"),
            )
        )
