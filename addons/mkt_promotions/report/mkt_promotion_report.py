from odoo import fields, models, tools
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

from odoo.addons.mkt_scoring.tools.order_sql import order_revenue

from ..models.mkt_promotion import MEDIA


class MktPromotionReport(models.Model):
    """Demand control: planned against actual per action, product, medium and
    target group, with response and advertising cost.

    Three kinds of rows share the columns, so that one pivot adds them up: the
    planned quantity of each action product, each confirmed line of an action's
    orders, and each action's advertising cost. Revenue is that of every order
    line (goods, benefits, shipping), so that an action's revenue is the
    untaxed amount of its orders in company currency, as on the action and in
    every other report (``order_revenue``); quantities count the goods only.

    The response rate is a ratio and is never added up: in every group it is
    the ordering customers of the group over the circulation of the group's
    actions (see ``_read_group_select``). One line per ordering customer and
    action carries the customer (``customer_count``).
    """

    _name = "mkt.promotion.report"
    _description = "Promotion Action Control"
    _auto = False
    _order = "date desc"

    promotion_id = fields.Many2one(
        "mkt.promotion", string="Promotion Action", readonly=True
    )
    medium = fields.Selection(MEDIA, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    target_group = fields.Selection(
        [("b2b", "Business customers (B2B)"), ("b2c", "Private customers (B2C)")],
        readonly=True,
    )
    class_id = fields.Many2one(
        "mkt.customer.class", string="Customer Class", readonly=True
    )
    segment_id = fields.Many2one("mkt.segment", readonly=True)
    planned_qty = fields.Float(string="Planned Quantity", readonly=True)
    actual_qty = fields.Float(string="Actual Quantity", readonly=True)
    revenue = fields.Monetary(readonly=True)
    ad_cost = fields.Monetary(string="Advertising Cost", readonly=True)
    customer_count = fields.Integer(string="Customers", readonly=True)
    response_rate = fields.Float(string="Response Rate (%)", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                SELECT row_number() OVER (ORDER BY rows.kind, rows.source_id) AS id,
                       rows.*
                  FROM (
                    SELECT 1 AS kind, l.id AS source_id, p.id AS promotion_id,
                           p.medium, p.company_id, p.date_start AS date,
                           l.product_id, pt.categ_id AS product_categ_id,
                           NULL::int AS partner_id, NULL::int AS order_id,
                           NULL::varchar AS target_group, NULL::int AS class_id,
                           p.segment_id, l.planned_qty, 0.0 AS actual_qty,
                           0.0 AS revenue, 0.0 AS ad_cost, 0 AS customer_count,
                           0.0 AS response_rate
                      FROM mkt_promotion_line l
                      JOIN mkt_promotion p ON p.id = l.promotion_id
                      JOIN product_product pp ON pp.id = l.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                    UNION ALL
                    SELECT 2, sol.id, p.id, p.medium, p.company_id,
                           so.date_order::date, sol.product_id, pt.categ_id,
                           customer.id, so.id,
                           CASE WHEN customer.is_company THEN 'b2b' ELSE 'b2c' END,
                           score.class_id, p.segment_id, 0.0,
                           CASE WHEN sol.mkt_benefit_id IS NULL
                                 AND sol.reward_id IS NULL
                                 AND sol.is_delivery IS NOT TRUE
                                THEN sol.product_uom_qty ELSE 0.0 END,
                           %(line_revenue)s,
                           0.0,
                           (row_number() OVER first_line = 1)::int,
                           CASE WHEN p.circulation > 0
                                 AND row_number() OVER first_line = 1
                                THEN 100.0 / p.circulation ELSE 0.0 END
                      FROM sale_order_line sol
                      JOIN sale_order so ON so.id = sol.order_id
                      JOIN mkt_promotion p ON p.id = so.mkt_promotion_id
                      JOIN res_partner buyer ON buyer.id = so.partner_id
                      JOIN res_partner customer ON customer.id = buyer.commercial_partner_id
                      JOIN product_product pp ON pp.id = sol.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                      LEFT JOIN mkt_customer_score score
                             ON score.partner_id = customer.id
                            AND score.company_id = so.company_id
                     WHERE so.state = 'sale' AND sol.display_type IS NULL
                    WINDOW first_line AS (PARTITION BY p.id, customer.id ORDER BY sol.id)
                    UNION ALL
                    SELECT 3, p.id, p.id, p.medium, p.company_id, p.date_start,
                           NULL, NULL, NULL, NULL, NULL, NULL, p.segment_id,
                           0.0, 0.0, 0.0, p.ad_cost, 0, 0.0
                      FROM mkt_promotion p
                     WHERE p.ad_cost > 0
                  ) AS rows
                )
                """,
                table=SQL.identifier(self._table),
                line_revenue=order_revenue(
                    "so", amount=SQL.identifier("sol", "price_subtotal")
                ),
            )
        )

    def _read_group_select(self, aggregate_spec, query):
        """The response rate of a group is the group's ordering customers per 100
        pieces of the circulation of the actions in the group: summed rates of
        several actions, or their average, would mean nothing."""
        fname, __, __ = parse_read_group_spec(aggregate_spec)
        if fname == "response_rate":
            return SQL(
                """100.0 * SUM(%(customers)s) / NULLIF((
                    SELECT SUM(action.circulation) FROM mkt_promotion action
                     WHERE action.id = ANY(ARRAY_AGG(DISTINCT %(promotion)s))
                ), 0)""",
                customers=self._field_to_sql(self._table, "customer_count", query),
                promotion=self._field_to_sql(self._table, "promotion_id", query),
            )
        return super()._read_group_select(aggregate_spec, query)
