"""Customer segments: saved selections of customers, counted live in SQL.

A segment is a domain on res.partner plus ready-made criteria that staff fill
in without writing domains. Criteria that a domain can express (country,
classes, trends, score) are added to the domain; the others (postcode range,
purchases and revenue in a relative period) are SQL conditions added to the
query that ``res.partner._search()`` builds, so that record rules, archived
customers and the per-company scores behave as in any Odoo search, and the
whole selection stays one statement whatever the number of customers.
"""

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools import SQL, split_every
from odoo.tools.safe_eval import datetime, dateutil, safe_eval, time

from ..tools.order_sql import ORDER_FIELDS, order_revenue

# Live counts of a list of segments: this many per statement.
COUNTS_PER_QUERY = 100

RANGE_RULES = [
    ("at_least", "At least"),
    ("at_most", "At most"),
    ("between", "Between"),
]

# Columns read by the hand-written parts of the selection, flushed before it.
FLUSH_FIELDS = {
    "res.partner": ["zip", "commercial_partner_id", "active"],
    "sale.order": ORDER_FIELDS,
    "sale.order.line": ["order_id", "product_id"],
    "product.product": ["product_tmpl_id"],
    "product.template": ["categ_id"],
    "product.category": ["parent_path"],
}


class MktSegment(models.Model):
    """A saved selection of customers, live or frozen.

    Live, the members are whoever matches now (relative periods such as "the
    last 12 months" are evaluated when the segment is used). Frozen, the members
    are those that matched when it was frozen, kept in ``partner_ids``.
    """

    _name = "mkt.segment"
    _description = "Customer Segment"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="Purchases, revenue, scores, classes and trends are those of this company.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    domain = fields.Char(
        string="Filter",
        required=True,
        default="[('customer_rank', '>', 0)]",
        help="Any condition on the customers' fields, related fields included.",
    )
    zip_from = fields.Char(
        string="Postcode From",
        help="A bound compares as many leading characters as it has: from 8 to 8 "
        "selects every postcode starting with 8, from 80 to 85 those starting with "
        "80 to 85.",
    )
    zip_to = fields.Char(string="Postcode To")
    country_ids = fields.Many2many("res.country", string="Countries")
    product_ids = fields.Many2many(
        "product.product", string="Bought Products", check_company=True
    )
    product_category_ids = fields.Many2many(
        "product.category",
        string="Bought Categories",
        help="Products of these categories or of their subcategories.",
    )
    purchase_months = fields.Integer(
        string="Period (months)",
        default=12,
        help="Bought products, categories and revenue count the confirmed orders of "
        "the last N months before the day the segment is used; 0 counts all orders.",
    )
    revenue_rule = fields.Selection(RANGE_RULES, string="Revenue")
    revenue_min = fields.Monetary(
        string="Revenue From",
        help="Untaxed revenue of the confirmed orders in the period, in the company's "
        "currency.",
    )
    revenue_max = fields.Monetary(string="Revenue To")
    score_rule = fields.Selection(
        RANGE_RULES, string="Score", help="Only scored customers match a score range."
    )
    score_min = fields.Integer(string="Score From")
    score_max = fields.Integer(string="Score To")
    class_ids = fields.Many2many(
        "mkt.customer.class", string="Customer Classes", check_company=True
    )
    trend_ids = fields.Many2many("mkt.customer.trend", string="Trends")
    is_frozen = fields.Boolean(string="Frozen", readonly=True, copy=False)
    frozen_date = fields.Datetime(string="Frozen On", readonly=True, copy=False)
    partner_ids = fields.Many2many(
        "res.partner",
        "mkt_segment_res_partner_rel",
        "segment_id",
        "partner_id",
        string="Frozen Members",
        readonly=True,
        copy=False,
    )
    partner_count = fields.Integer(string="Customers", compute="_compute_partner_count")

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains(
        "zip_from",
        "zip_to",
        "purchase_months",
        "revenue_rule",
        "revenue_min",
        "revenue_max",
        "score_rule",
        "score_min",
        "score_max",
    )
    def _check_criteria(self):
        for segment in self:
            if segment.zip_from and segment.zip_to:
                length = min(len(segment.zip_from), len(segment.zip_to))
                if segment.zip_from[:length] > segment.zip_to[:length]:
                    raise ValidationError(segment._range_message("zip_from", "zip_to"))
            if segment.purchase_months < 0:
                raise ValidationError(
                    self.env._(
                        'Segment "%(segment)s": "%(field)s" cannot be negative '
                        "(%(value)s).",
                        segment=segment.name,
                        field=segment._mkt_field_label("purchase_months"),
                        value=segment.purchase_months,
                    )
                )
            for prefix in ("revenue", "score"):
                if (
                    segment[f"{prefix}_rule"] == "between"
                    and segment[f"{prefix}_min"] > segment[f"{prefix}_max"]
                ):
                    raise ValidationError(
                        segment._range_message(f"{prefix}_min", f"{prefix}_max")
                    )

    @api.constrains("domain", "company_id")
    def _check_domain(self):
        """Build and plan the selection of every segment, so that a domain that
        names unknown fields, uses wrong operators or values of the wrong type is
        refused on save rather than when the segment is used."""
        for segment in self:
            try:
                query = segment._get_live_query()
                # EXPLAIN plans without reading rows: cheap, and nothing to flush.
                with self.env.cr.savepoint(flush=False):
                    self.env.cr.execute(
                        SQL("EXPLAIN %s", query.select()), log_exceptions=False
                    )
            except psycopg2.Error as error:
                raise ValidationError(
                    segment._invalid_domain_message(error.diag.message_primary or error)
                ) from error
            except UserError as error:
                raise ValidationError(error.args[0]) from error

    def _range_message(self, field_from, field_to):
        return self.env._(
            'Segment "%(segment)s": "%(field_from)s" (%(start)s) is after '
            '"%(field_to)s" (%(end)s).',
            segment=self.name,
            field_from=self._mkt_field_label(field_from),
            start=self[field_from],
            field_to=self._mkt_field_label(field_to),
            end=self[field_to],
        )

    def _invalid_domain_message(self, error):
        return self.env._(
            'Segment "%(segment)s": the field "%(field)s" is not a valid filter on '
            "customers: %(error)s",
            segment=self.name,
            field=self._mkt_field_label("domain"),
            error=str(error).strip(),
        )

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------

    @api.depends(
        "domain",
        "company_id",
        "zip_from",
        "zip_to",
        "country_ids",
        "product_ids",
        "product_category_ids",
        "purchase_months",
        "revenue_rule",
        "revenue_min",
        "revenue_max",
        "score_rule",
        "score_min",
        "score_max",
        "class_ids",
        "trend_ids",
        "is_frozen",
    )
    def _compute_partner_count(self):
        # One statement for a whole list of segments: one count per column.
        self._flush_selection()
        for segments in split_every(COUNTS_PER_QUERY, self, list):
            [counts] = self.env.execute_query(
                SQL(
                    "SELECT %s",
                    SQL(", ").join(
                        SQL("(%s)", segment._get_count_sql()) for segment in segments
                    ),
                )
            )
            for segment, count in zip(segments, counts, strict=True):
                segment.partner_count = count

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            # Searched through the segment, so that the list stays live.
            "domain": [("mkt_segment_id", "=", self.id)],
            "context": {"create": False},
        }

    def action_freeze(self):
        """Keep the current members as a static list (one INSERT ... SELECT)."""
        # The members are written in SQL: check the right to change segments first.
        self.check_access("write")
        for segment in self.filtered(lambda s: not s.is_frozen):
            query = segment._get_partner_query()
            segment._flush_selection()
            self.env.execute_query(
                SQL(
                    """INSERT INTO mkt_segment_res_partner_rel (segment_id, partner_id)
                       SELECT %s, member.id FROM (%s) AS member
                       ON CONFLICT DO NOTHING""",
                    segment.id,
                    query.select(),
                )
            )
        self.invalidate_recordset(["partner_ids"])
        self.filtered(lambda s: not s.is_frozen).write(
            {"is_frozen": True, "frozen_date": fields.Datetime.now()}
        )
        return True

    def action_unfreeze(self):
        """Back to live: the members are whoever matches the criteria now."""
        self.write(
            {"is_frozen": False, "frozen_date": False, "partner_ids": [Command.clear()]}
        )
        return True

    def action_export_mailing_list(self):
        self.ensure_one()
        return self.env["mkt.segment.mailing.list"]._open_for(segment=self)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _get_partner_ids(self):
        """Return the ids of the segment's members (customers), in id order."""
        self.ensure_one()
        query = self._get_partner_query()
        query.order = SQL.identifier(query.table, "id")
        self._flush_selection()
        return [row[0] for row in self.env.execute_query(query.select())]

    def _get_count_sql(self):
        """Return the ``SQL`` statement that counts the segment's members.

        It is the statement ``partner_count`` runs: ``SELECT count(*)`` over the
        query of :meth:`_get_partner_query`, with the current user's record rules
        on res.partner. Benchmarks run it to compare its speed with a
        hand-written query::

            segment._flush_selection()
            env.cr.execute(segment._get_count_sql())
            count = env.cr.fetchone()[0]

        It reads only committed or flushed data: flush first (as above).
        """
        self.ensure_one()
        return self._get_partner_query().select(SQL("count(*)"))

    def _get_partner_query(self):
        """Return the members as a ``Query`` on res.partner (not executed).

        Frozen, the members of the static list; live, those matching now.
        The query is evaluated in the segment's company (scores, classes and
        trends are the company's) and can be used as a subquery:
        ``[("id", "in", segment._get_partner_query())]``.
        """
        self.ensure_one()
        if self.is_frozen:
            Partner = self.env["res.partner"].with_company(self.company_id)
            query = Partner._search([])
            query.add_where(
                SQL(
                    """%s IN (SELECT partner_id FROM mkt_segment_res_partner_rel
                               WHERE segment_id = %s)""",
                    SQL.identifier(query.table, "id"),
                    self.id,
                )
            )
            return query
        return self._get_live_query()

    def _get_live_query(self):
        """The members matching the criteria now, as a ``Query`` on res.partner."""
        self.ensure_one()
        Partner = self.env["res.partner"].with_company(self.company_id)
        # A segment may select the members of other segments, not its own.
        stack = self.env.context.get("mkt_segment_stack", ())
        if self.id in stack:
            raise UserError(
                self.env._(
                    'Segment "%(segment)s": the field "%(field)s" selects the '
                    "members of the segment itself.",
                    segment=self.name,
                    field=self._mkt_field_label("domain"),
                )
            )
        Partner = Partner.with_context(mkt_segment_stack=(*stack, self.id))
        domain = self._get_domain()
        try:
            query = Partner._search(domain)
        except (ValueError, TypeError, KeyError, AssertionError) as error:
            raise ValidationError(self._invalid_domain_message(error)) from error
        for condition in self._get_sql_conditions(query.table):
            query.add_where(condition)
        return query

    @api.model
    def _get_member_domain(self, operator, value):
        """The res.partner domain of ``("mkt_segment_id", operator, value)``:
        members of the given segments (ids) or of the segments named so."""
        if isinstance(value, str) and operator in ("=", "ilike", "like", "=ilike"):
            segments = self.search([("name", operator, value)])
        elif operator in ("=", "in") and not isinstance(value, str):
            ids = value if isinstance(value, list | tuple) else [value]
            segments = self.browse([segment_id for segment_id in ids if segment_id])
        else:
            raise UserError(
                self.env._("Customers can only be searched as members of a segment.")
            )
        leaves = [("id", "in", segment._get_partner_query()) for segment in segments]
        if not leaves:
            return expression.FALSE_DOMAIN
        return expression.OR([[leaf] for leaf in leaves])

    def _get_domain(self):
        """The domain and the criteria a domain can express, as one domain."""
        self.ensure_one()
        try:
            domain = safe_eval(self.domain or "[]", self._get_eval_context())
            domain = expression.normalize_domain(domain)
        except Exception as error:  # safe_eval raises any kind of error
            raise ValidationError(self._invalid_domain_message(error)) from error
        criteria = []
        if self.country_ids:
            criteria.append([("country_id", "in", self.country_ids.ids)])
        if self.class_ids:
            criteria.append([("mkt_class_id", "in", self.class_ids.ids)])
        if self.trend_ids:
            criteria.append([("mkt_trend", "in", self.trend_ids.mapped("code"))])
        if self.score_rule:
            criteria.append([("mkt_score_date", "!=", False)])
            if self.score_rule in ("at_least", "between"):
                criteria.append([("mkt_score", ">=", self.score_min)])
            if self.score_rule in ("at_most", "between"):
                criteria.append([("mkt_score", "<=", self.score_max)])
        return expression.AND([domain, *criteria])

    def _get_eval_context(self):
        """What a domain may use, as in the web client's domain editor."""
        return {
            "datetime": datetime,
            "dateutil": dateutil,
            "time": time,
            "relativedelta": dateutil.relativedelta.relativedelta,
            "context_today": lambda: fields.Date.context_today(self),
            "uid": self.env.uid,
            "user": self.env.user,
            "company_id": self.company_id.id,
            "company_ids": self.env.companies.ids,
        }

    def _get_sql_conditions(self, alias):
        """SQL conditions on the partner table ``alias`` for the criteria that a
        domain cannot express: postcode range, purchases, revenue."""
        conditions = []
        partner = SQL.identifier(alias, "commercial_partner_id")
        zip_code = SQL("btrim(%s)", SQL.identifier(alias, "zip"))
        # Byte order (COLLATE "C"): postcodes compare character by character.
        if self.zip_from:
            conditions.append(
                SQL(
                    'left(%s, %s) COLLATE "C" >= %s',
                    zip_code,
                    len(self.zip_from),
                    self.zip_from,
                )
            )
        if self.zip_to:
            conditions.append(
                SQL(
                    'left(%s, %s) COLLATE "C" <= %s',
                    zip_code,
                    len(self.zip_to),
                    self.zip_to,
                )
            )
        orders = SQL(
            """so.state = 'sale' AND so.company_id = %s AND %s""",
            self.company_id.id,
            self._period_sql(),
        )
        if self.product_ids or self.product_category_ids:
            conditions.append(
                SQL(
                    """EXISTS (
                        SELECT 1 FROM sale_order_line sol
                          JOIN sale_order so ON so.id = sol.order_id
                          JOIN res_partner buyer ON buyer.id = so.partner_id
                          JOIN product_product pp ON pp.id = sol.product_id
                          JOIN product_template pt ON pt.id = pp.product_tmpl_id
                          JOIN product_category pc ON pc.id = pt.categ_id
                         WHERE %s AND buyer.commercial_partner_id = %s
                           AND (sol.product_id = ANY(%s)
                                OR pc.parent_path LIKE ANY(%s::varchar[])))""",
                    orders,
                    partner,
                    self.product_ids.ids,
                    [
                        f"{path}%"
                        for path in self.product_category_ids.mapped("parent_path")
                    ],
                )
            )
        if self.revenue_rule:
            conditions.append(self._revenue_sql(partner, orders))
        return conditions

    def _period_sql(self):
        if not self.purchase_months:
            return SQL("TRUE")
        since = fields.Date.context_today(self) - relativedelta(
            months=self.purchase_months
        )
        return SQL("so.date_order >= %s", since)

    def _revenue_sql(self, partner, orders):
        """The customers whose revenue is in range.

        The revenue is summed once per customer who ordered; customers without
        orders have a revenue of 0, so when 0 is in range the condition selects
        everybody except the customers who ordered out of range.
        """
        low = self.revenue_min if self.revenue_rule != "at_most" else None
        high = self.revenue_max if self.revenue_rule != "at_least" else None
        revenue = SQL("sum(%s)", order_revenue())
        bounds = []
        if low is not None:
            bounds.append(SQL("%s >= %s", revenue, low))
        if high is not None:
            bounds.append(SQL("%s <= %s", revenue, high))
        in_range = SQL(" AND ").join(bounds)
        zero_in_range = (low is None or low <= 0) and (high is None or high >= 0)
        return SQL(
            """%s %s (SELECT buyer.commercial_partner_id FROM sale_order so
                           JOIN res_partner buyer ON buyer.id = so.partner_id
                          WHERE %s AND buyer.commercial_partner_id IS NOT NULL
                          GROUP BY buyer.commercial_partner_id
                         HAVING %s)""",
            partner,
            SQL("NOT IN") if zero_in_range else SQL("IN"),
            orders,
            SQL("NOT (%s)", in_range) if zero_in_range else in_range,
        )

    def _flush_selection(self):
        """Flush what the hand-written SQL reads (the ORM flushes the rest)."""
        for model, field_names in FLUSH_FIELDS.items():
            self.env[model].flush_model(field_names)
