"""Purchase-based and revenue-trend segments, created and refreshed by a cron.

They are ordinary ``mkt.segment`` records (live: members are whoever matches
when the segment is used) with two more purchase criteria, the price band of
the items bought and the sales channel (sales team: webshop, field sales,
telesales ...) they were bought through. The cron keeps one segment per key
(best-selling product, product category, price band, sales channel, trend),
creates the missing ones, archives those whose key sold nothing in the period
and brings them back when it sells again.

The purchase criteria (products, categories, price band, channel) are met by
one purchase line, looked up by one query per kind of order
(``_get_purchase_line_queries``): confirmed sale orders here, POS orders in
mkt_analytics_pos.
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Price bands of the items bought (unit price, untaxed, company currency).
PRICE_BANDS = [(0, 10), (10, 25), (25, 50), (50, 100), (100, 0)]
# Trends that describe where a customer's revenue goes.
REVENUE_TRENDS = ("growing", "regular", "declining")
TOP_PRODUCTS = 20
AUTO_MONTHS = 12


class MktSegment(models.Model):
    _inherit = "mkt.segment"

    price_min = fields.Monetary(
        string="Item Price From",
        help="Customers who bought an item at this unit price or more (untaxed).",
    )
    price_max = fields.Monetary(
        string="Item Price To",
        help="Customers who bought an item below this unit price (untaxed); 0 for "
        "no upper bound.",
    )
    team_ids = fields.Many2many(
        "crm.team",
        string="Bought Through",
        help="Sales channels (sales teams: webshop, field sales, telesales ...) "
        "the customers bought through.",
    )
    auto_key = fields.Char(
        string="Automatic Segment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Set on the segments the analytics cron creates and refreshes.",
    )

    _sql_constraints = [
        (
            "auto_key_uniq",
            "unique(company_id, auto_key)",
            "An automatic segment exists once per company.",
        ),
    ]

    @api.depends("price_min", "price_max", "team_ids")
    def _compute_partner_count(self):
        return super()._compute_partner_count()

    @api.constrains("price_min", "price_max")
    def _check_price_band(self):
        for segment in self:
            if segment.price_min < 0 or segment.price_max < 0:
                raise ValidationError(
                    self.env._(
                        'Segment "%(segment)s": the item prices cannot be negative.',
                        segment=segment.name,
                    )
                )
            if segment.price_max and segment.price_min > segment.price_max:
                raise ValidationError(segment._range_message("price_min", "price_max"))

    def _flush_selection(self):
        result = super()._flush_selection()
        self.env["sale.order"].flush_model(["team_id", "currency_rate"])
        self.env["sale.order.line"].flush_model(
            ["price_subtotal", "product_uom_qty", "display_type"]
        )
        return result

    def _get_sql_conditions(self, alias):
        """The purchase criteria (product, category, price band, channel) are
        one condition on the same purchase line: "bought cheese above 20 EUR
        through the webshop" is one line that is all three. mkt_scoring's own
        product condition (sale orders only) is left out for that."""
        if not self._has_purchase_line_criteria():
            return super()._get_sql_conditions(alias)
        # mkt_scoring reads the criteria from the record: a copy in memory
        # without products and categories keeps its other conditions. The
        # values are copied, as a segment being edited may have no origin.
        criteria = [
            name
            for name, field in self._fields.items()
            if field.store
            and not field.automatic
            and name not in ("partner_ids", "product_ids", "product_category_ids")
        ]
        without_products = self.new(
            self._convert_to_write({name: self[name] for name in criteria})
        )
        conditions = super(MktSegment, without_products)._get_sql_conditions(alias)
        partner = SQL.identifier(alias, "commercial_partner_id")
        bought = [
            SQL("EXISTS (%s)", purchase)
            for purchase in self._get_purchase_line_queries(partner)
        ]
        conditions.append(
            SQL("(%s)", SQL(" OR ").join(bought)) if bought else SQL("FALSE")
        )
        return conditions

    def _has_purchase_line_criteria(self):
        """Whether the segment selects customers by what they bought where."""
        return bool(
            self.product_ids
            or self.product_category_ids
            or self.price_min
            or self.price_max
            or self.team_ids
        )

    def _get_purchase_line_queries(self, partner):
        """The purchase lines of the customer ``partner`` (an SQL expression, a
        commercial partner id) that meet the segment's purchase criteria, as
        ``SELECT`` statements, one per kind of order; the customer is a member
        when one of them returns a row. Here the confirmed sale orders;
        another kind of order (point of sale ...) adds its own query."""
        conditions = self._get_sale_line_conditions()
        return [
            SQL(
                """SELECT 1 FROM sale_order_line sol
                     JOIN sale_order so ON so.id = sol.order_id
                     JOIN res_partner buyer ON buyer.id = so.partner_id
                    WHERE buyer.commercial_partner_id = %s
                      AND sol.display_type IS NULL AND %s""",
                partner,
                SQL(" AND ").join(conditions),
            )
        ]

    def _get_sale_line_conditions(self):
        """The segment's purchase criteria on a sale order line ``sol`` of the
        order ``so``."""
        unit_price = SQL(
            """sol.price_subtotal / NULLIF(sol.product_uom_qty, 0)
               / COALESCE(NULLIF(so.currency_rate, 0), 1)"""
        )
        conditions = [
            SQL(
                "so.state = 'sale' AND so.company_id = %s AND %s",
                self.company_id.id,
                self._period_sql(),
            ),
            *self._get_price_conditions(unit_price),
        ]
        if product := self._get_product_condition(SQL("sol.product_id")):
            conditions.append(product)
        if self.team_ids:
            conditions.append(SQL("so.team_id = ANY(%s)", self.team_ids.ids))
        return conditions

    def _get_price_conditions(self, unit_price):
        """The price band on the untaxed unit price ``unit_price`` (in the
        company's currency)."""
        conditions = []
        if self.price_min:
            conditions.append(SQL("%s >= %s", unit_price, self.price_min))
        if self.price_max:
            conditions.append(SQL("%s < %s", unit_price, self.price_max))
        return conditions

    def _get_product_condition(self, product):
        """The bought products and categories (with their subcategories) on the
        product id ``product``, or None when the segment names none."""
        alternatives = []
        if self.product_ids:
            alternatives.append(SQL("%s = ANY(%s)", product, self.product_ids.ids))
        if self.product_category_ids:
            alternatives.append(
                SQL(
                    """%s IN (SELECT pp.id FROM product_product pp
                                JOIN product_template pt ON pt.id = pp.product_tmpl_id
                                JOIN product_category pc ON pc.id = pt.categ_id
                               WHERE pc.parent_path LIKE ANY(%s::varchar[]))""",
                    product,
                    [
                        f"{path}%"
                        for path in self.product_category_ids.mapped("parent_path")
                    ],
                )
            )
        return SQL("(%s)", SQL(" OR ").join(alternatives)) if alternatives else None

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_refresh_auto_segments(self):
        """Create, archive and bring back the automatic segments of every
        company; then keep this month's trend of every customer, the basis of
        the trend movements. Safe to run twice: each segment has its key."""
        for company in self.env["res.company"].search([]):
            # Segment names are plain text that every user of the company reads:
            # they are written in the company's language, whoever runs the cron.
            wanted = (
                self.with_company(company)
                .with_context(lang=company.partner_id.lang or self.env.lang)
                ._auto_segment_values(company)
            )
            self._sync_auto_segments(company, wanted)
            self.env["mkt.trend.snapshot"]._take(company)

    @api.model
    def _auto_segment_values(self, company):
        """{key: values} of the automatic segments the company should have."""
        Line = self.env["sale.order.line"].with_company(company)
        period = fields.Datetime.subtract(fields.Datetime.now(), months=AUTO_MONTHS)
        domain = [
            ("order_id.state", "=", "sale"),
            ("company_id", "=", company.id),
            ("order_id.date_order", ">=", period),
            ("display_type", "=", False),
            ("product_id", "!=", False),
        ]
        common = {"company_id": company.id, "purchase_months": AUTO_MONTHS}
        values = {}
        sold = Line._read_group(domain, ["product_id"], ["price_subtotal:sum"])
        sold.sort(key=lambda row: (-row[1], row[0].id))
        for product, _revenue in sold[:TOP_PRODUCTS]:
            values[f"product:{product.id}"] = {
                **common,
                "name": self.env._("Bought: %(product)s", product=product.display_name),
                "product_ids": [fields.Command.set(product.ids)],
            }
        categories = (
            self.env["product.product"]
            .union(*(product for product, _revenue in sold))
            .categ_id
        )
        for category in categories:
            values[f"category:{category.id}"] = {
                **common,
                "name": self.env._(
                    "Bought in category: %(category)s",
                    category=category.display_name,
                ),
                "product_category_ids": [fields.Command.set(category.ids)],
            }
        teams = self.env["sale.order"]._read_group(
            [
                ("state", "=", "sale"),
                ("company_id", "=", company.id),
                ("date_order", ">=", period),
                ("team_id", "!=", False),
            ],
            ["team_id"],
        )
        for (team,) in teams:
            values[f"team:{team.id}"] = {
                **common,
                "name": self.env._("Bought through: %(team)s", team=team.display_name),
                "team_ids": [fields.Command.set(team.ids)],
            }
        currency = company.currency_id
        for low, high in PRICE_BANDS:
            label = (
                self.env._(
                    "Bought items of %(low)s to %(high)s",
                    low=currency.format(low),
                    high=currency.format(high),
                )
                if high
                else self.env._(
                    "Bought items of %(low)s and more", low=currency.format(low)
                )
            )
            values[f"price:{low}-{high}"] = {
                **common,
                "name": label,
                "price_min": low,
                "price_max": high,
            }
        for trend in self.env["mkt.customer.trend"].search(
            [("code", "in", REVENUE_TRENDS)]
        ):
            values[f"trend:{trend.code}"] = {
                "company_id": company.id,
                "name": self.env._("Revenue trend: %(trend)s", trend=trend.name),
                "trend_ids": [fields.Command.set(trend.ids)],
            }
        return values

    @api.model
    def _sync_auto_segments(self, company, wanted):
        existing = {
            segment.auto_key: segment
            for segment in self.with_context(active_test=False).search(
                [("company_id", "=", company.id), ("auto_key", "!=", False)]
            )
        }
        to_create = [
            {**values, "auto_key": key}
            for key, values in wanted.items()
            if key not in existing
        ]
        created = self.create(to_create)
        existing_keys = set(existing)
        back = self.browse(
            [
                segment.id
                for key, segment in existing.items()
                if key in wanted and not segment.active
            ]
        )
        back.active = True
        gone = self.browse(
            [
                segment.id
                for key, segment in existing.items()
                if key not in wanted and segment.active
            ]
        )
        gone.active = False
        _logger.info(
            "Automatic segments of %s: %d created, %d back, %d archived, %d kept",
            company.name,
            len(created),
            len(back),
            len(gone),
            len(existing_keys & set(wanted)) - len(back),
        )
