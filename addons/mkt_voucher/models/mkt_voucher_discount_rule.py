"""Adaptive discounts: a voucher's discount per customer, from a small table.

The rules of a program are read top to bottom and the first that matches the
customer gives the discount; customers no rule matches get the discount of the
program's reward. A rule of 0 % means "no voucher" for those customers. The
discount is evaluated when a personal code is issued and recorded on the code
(``loyalty.card.mkt_discount_percent``): the customer keeps what was promised.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, float_compare, format_amount

from odoo.addons.mkt_scoring.models.res_partner import TRENDS
from odoo.addons.mkt_scoring.tools.order_sql import ORDER_FIELDS, order_revenue

NUMERIC_CONDITIONS = ("days_since_order", "last_order_amount")


class MktVoucherDiscountRule(models.Model):
    _name = "mkt.voucher.discount.rule"
    _description = "Adaptive Discount Rule"
    _order = "program_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    program_id = fields.Many2one(
        "loyalty.program",
        string="Voucher",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="program_id.company_id", store=True)
    condition = fields.Selection(
        [
            ("customer_class", "Customer class is"),
            ("trend", "Trend is"),
            ("days_since_order", "Days since last order"),
            ("last_order_amount", "Value of last order"),
            ("always", "Any customer"),
        ],
        required=True,
        default="customer_class",
        help="Days and value count the customer's confirmed orders in the voucher's "
        "company (value: untaxed, in company currency). Customers without any "
        "order match neither.",
    )
    class_id = fields.Many2one(
        "mkt.customer.class",
        string="Customer Class",
        check_company=True,
        ondelete="restrict",
    )
    trend = fields.Selection(TRENDS)
    value_from = fields.Float(
        string="From",
        help="Days or value at least this much (empty: no lower limit).",
    )
    value_to = fields.Float(
        string="Below",
        help="Days or value less than this (empty: no upper limit).",
    )
    discount_percent = fields.Float(
        string="Discount (%)",
        digits=(16, 2),
        help="The customer's discount instead of the reward's. 0 means no voucher: "
        "such customers get no code.",
    )
    condition_text = fields.Char(string="Rule", compute="_compute_condition_text")

    @api.depends("condition", "class_id", "trend", "value_from", "value_to")
    @api.depends_context("lang")
    def _compute_condition_text(self):
        conditions = dict(self._fields["condition"]._description_selection(self.env))
        trends = dict(self._fields["trend"]._description_selection(self.env))
        for rule in self:
            label = conditions.get(rule.condition, "")
            if rule.condition == "customer_class":
                rule.condition_text = f"{label} {rule.class_id.name or ''}"
            elif rule.condition == "trend":
                rule.condition_text = f"{label} {trends.get(rule.trend, '')}"
            elif rule.condition in NUMERIC_CONDITIONS:
                rule.condition_text = f"{label} {rule._range_text()}"
            else:
                rule.condition_text = label

    def _range_text(self):
        def show(value):
            if self.condition == "last_order_amount":
                company = self.company_id or self.env.company
                return format_amount(self.env, value, company.currency_id)
            return str(int(value))

        if self.value_from and self.value_to:
            return self.env._(
                "from %(low)s to below %(high)s",
                low=show(self.value_from),
                high=show(self.value_to),
            )
        if self.value_to:
            return self.env._("below %(high)s", high=show(self.value_to))
        return self.env._("from %(low)s", low=show(self.value_from))

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains(
        "condition", "class_id", "trend", "value_from", "value_to", "discount_percent"
    )
    def _check_rule(self):
        for rule in self:
            problem = rule._rule_problem()
            if problem:
                raise ValidationError(
                    self.env._(
                        'Voucher "%(program)s", adaptive discount rule %(number)s '
                        "(%(rule)s): %(problem)s",
                        program=rule.program_id.name,
                        number=rule._position(),
                        rule=rule.condition_text,
                        problem=problem,
                    )
                )

    def _rule_problem(self):
        self.ensure_one()
        if float_compare(self.discount_percent, 0, 2) < 0 or (
            float_compare(self.discount_percent, 100, 2) > 0
        ):
            return self.env._("the discount must be between 0 and 100 %.")
        if self.condition == "customer_class" and not self.class_id:
            return self.env._("choose the customer class.")
        if self.condition == "trend" and not self.trend:
            return self.env._("choose the trend.")
        if self.condition in NUMERIC_CONDITIONS:
            if self.value_from < 0 or self.value_to < 0:
                return self.env._("days and values cannot be negative.")
            if not self.value_from and not self.value_to:
                return self.env._('enter a "From" or a "Below" value.')
            if self.value_to and self.value_to <= self.value_from:
                return self.env._('"Below" must be greater than "From".')
        return False

    def _position(self):
        """The rule's row number as the table shows it (1 = evaluated first)."""
        rules = self.search([("program_id", "=", self.program_id.id)])
        return rules.ids.index(self.id) + 1

    # ------------------------------------------------------------------
    # Evaluation
    # ------------------------------------------------------------------

    def _matches(self, facts):
        """Whether the customer whose ``facts`` are given matches this rule."""
        self.ensure_one()
        if self.condition == "always":
            return True
        if self.condition == "customer_class":
            return facts["class_id"] == self.class_id.id
        if self.condition == "trend":
            return facts["trend"] == self.trend
        value = facts[self.condition]
        if value is None:
            return False
        return value >= self.value_from and (not self.value_to or value < self.value_to)

    @api.model
    def _customer_facts(self, partners, company):
        """What the rules test, for all ``partners`` at once: class and trend of
        their commercial partner (mkt_scoring's score of ``company``), days since
        and value of its last confirmed order in ``company``.

        Returns {partner id: {"class_id", "trend", "days_since_order",
        "last_order_amount"}} (None for the last two without any order).
        """
        partners = partners.with_company(company).sudo()
        commercial_ids = partners.commercial_partner_id.ids
        self.env["sale.order"].flush_model(ORDER_FIELDS)
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (p.commercial_partner_id)
                       p.commercial_partner_id, so.date_order::date, %(revenue)s
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s
                   AND p.commercial_partner_id = ANY(%(ids)s)
                 ORDER BY p.commercial_partner_id, so.date_order DESC, so.id DESC
                """,
                revenue=order_revenue("so"),
                company=company.id,
                ids=commercial_ids,
            )
        )
        last_orders = {row[0]: row[1:] for row in rows}
        today = fields.Date.context_today(self)
        facts = {}
        for partner in partners:
            last_day, last_amount = last_orders.get(
                partner.commercial_partner_id.id, (None, None)
            )
            facts[partner.id] = {
                "class_id": partner.mkt_class_id.id,
                "trend": partner.mkt_trend,
                "days_since_order": (today - last_day).days if last_day else None,
                "last_order_amount": last_amount,
            }
        return facts
