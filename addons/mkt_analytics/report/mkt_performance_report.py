"""Performance per mailing, campaign step, promotion and voucher.

One row per touch: its audience (recipients, opened, clicked), what the
attribution gave it (buyers, orders, revenue, order values) and what it cost
(the analytic lines of its analytic account, customer invoices left out: those
are revenue). Ratios are computed from sums, also when rows are grouped in the
pivot (see ``_read_group_select``), so that a ratio of a group is never an
average of ratios.
"""

from odoo import api, fields, models
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

from odoo.addons.mkt_scoring.tools.order_sql import order_line_revenue
from odoo.addons.mkt_voucher.tools.card_sql import issued_card

from ..models.mkt_attribution import TOUCH_KINDS

# Each ratio as a function of the sums of other columns (``s("field")``).
RATIOS = {
    "order_value_avg": lambda s: SQL("%s / NULLIF(%s, 0)", s("revenue"), s("orders")),
    "clicked_bought_rate": lambda s: SQL(
        "%s::float / NULLIF(%s, 0)", s("click_buyers"), s("recipients")
    ),
    "clickers_bought_rate": lambda s: SQL(
        "%s::float / NULLIF(%s, 0)", s("click_buyers"), s("clicked")
    ),
    "revenue_per_recipient": lambda s: SQL(
        "%s / NULLIF(%s, 0)", s("revenue"), s("recipients")
    ),
    "roi": lambda s: SQL(
        "(%s - %s) / NULLIF(%s, 0)", s("revenue"), s("cost"), s("cost")
    ),
}

# Kinds of rows, so that ids stay stable: id = source id * len + position.
ROW_KINDS = ["mailing", "promotion", "voucher", "campaign", "campaign_step"]


class MktPerformanceReport(models.Model):
    _name = "mkt.performance.report"
    _description = "Marketing Performance"
    _auto = False
    _order = "revenue desc, id"
    # What the query reads, flushed before it is run.
    _depends = {
        "mkt.attribution": [
            "touch_kind",
            "mailing_id",
            "promotion_id",
            "program_id",
            "partner_id",
            "clicked",
            "weight",
            "revenue",
            "order_value",
        ],
        "mailing.trace": [
            "mass_mailing_id",
            "trace_status",
            "open_datetime",
            "links_click_datetime",
        ],
        "mailing.mailing": ["subject", "sent_date", "user_id"],
        "res.users": ["company_id"],
        "mkt.campaign": [
            "name",
            "date_start",
            "company_id",
            "analytic_account_id",
            "is_template",
        ],
        "mkt.campaign.activity": ["name", "campaign_id"],
        "mkt.campaign.trace": ["activity_id", "state", "mailing_trace_id"],
        "mkt.promotion": [
            "code",
            "name",
            "date_start",
            "company_id",
            "analytic_account_id",
            "circulation",
        ],
        "loyalty.program": ["name", "date_from", "company_id", "program_type"],
        "loyalty.card": ["program_id", "order_id", "mkt_source_id"],
        "loyalty.reward": ["program_id"],
        "sale.order": ["state", "currency_rate"],
        "sale.order.line": ["order_id", "reward_id", "price_subtotal"],
        "account.analytic.line": [
            "amount",
            "account_id",
            "move_line_id",
            "mkt_campaign_activity_id",
        ],
        "account.move": ["move_type"],
    }

    touch_kind = fields.Selection(TOUCH_KINDS, readonly=True)
    name = fields.Char(readonly=True)
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    mailing_id = fields.Many2one("mailing.mailing", readonly=True)
    promotion_id = fields.Many2one("mkt.promotion", readonly=True)
    program_id = fields.Many2one("loyalty.program", string="Voucher", readonly=True)
    campaign_id = fields.Many2one("mkt.campaign", readonly=True)
    campaign_activity_id = fields.Many2one(
        "mkt.campaign.activity", string="Campaign Step", readonly=True
    )
    analytic_account_id = fields.Many2one("account.analytic.account", readonly=True)
    recipients = fields.Integer(
        readonly=True,
        help="Mails delivered; for promotions the circulation, for vouchers the "
        "codes issued.",
    )
    opened = fields.Integer(readonly=True)
    clicked = fields.Integer(readonly=True)
    buyers = fields.Integer(
        readonly=True, help="Customers with at least one attributed order."
    )
    click_buyers = fields.Integer(
        string="Clicked and Bought", readonly=True, help="Buyers who clicked first."
    )
    orders = fields.Float(
        readonly=True,
        digits=(16, 2),
        help="Attributed orders; under the linear rule an order shared by n touches "
        "counts 1/n for each.",
    )
    revenue = fields.Monetary(
        string="Transaction Value",
        readonly=True,
        help="Attributed untaxed order value, net of credit notes.",
    )
    order_value_min = fields.Monetary(
        string="Minimum Order Value", readonly=True, aggregator="min"
    )
    order_value_avg = fields.Monetary(
        string="Average Order Value", readonly=True, aggregator="avg"
    )
    order_value_max = fields.Monetary(
        string="Maximum Order Value", readonly=True, aggregator="max"
    )
    clicked_bought_rate = fields.Float(
        string="Recipients Who Clicked and Bought",
        readonly=True,
        aggregator="avg",
        help="Share of the recipients who clicked and bought.",
    )
    clickers_bought_rate = fields.Float(
        string="Clickers Who Bought",
        readonly=True,
        aggregator="avg",
        help="Share of the clickers who bought.",
    )
    revenue_per_recipient = fields.Monetary(readonly=True, aggregator="avg")
    cost = fields.Monetary(
        readonly=True,
        help="Costs booked on the analytic account: advertising and step costs, "
        "vendor bills with that analytic distribution; for a voucher, the "
        "discount it granted on confirmed orders.",
    )
    roi = fields.Float(
        string="ROI",
        readonly=True,
        aggregator="avg",
        help="(Transaction value - cost) / cost.",
    )

    # ------------------------------------------------------------------
    # Query
    # ------------------------------------------------------------------

    @property
    def _table_query(self):
        return self._report_sql()

    @api.model
    def _report_sql(self):
        """The rows of the report (every touch that reached or earned anything)."""
        rows = SQL(" UNION ALL ").join(self._touch_rows())
        ratios = SQL(", ").join(
            SQL("%s AS %s", ratio(lambda f: SQL.identifier("r", f)), SQL.identifier(f))
            for f, ratio in RATIOS.items()
        )
        return SQL(
            """
            WITH attributed AS (%(attributed)s), costs AS (%(costs)s)
            SELECT r.*, %(ratios)s FROM (%(rows)s) r
            """,
            attributed=self._attributed_sql(),
            costs=self._cost_sql(),
            ratios=ratios,
            rows=rows,
        )

    @api.model
    def _touch_rows(self):
        """One SELECT per kind of touch, all with the same columns."""
        return [
            self._mailing_rows(),
            self._promotion_rows(),
            self._voucher_rows(),
            self._campaign_step_rows(),
            self._campaign_rows(),
        ]

    @api.model
    def _row_id(self, kind, source_id):
        return SQL("%s * %s + %s", source_id, len(ROW_KINDS), ROW_KINDS.index(kind))

    @api.model
    def _row(self, kind, values, from_sql):
        """A SELECT of the report's columns: ``values`` gives the touch's own
        columns, the attributed figures come from ``a`` (attributed) and the cost
        from ``c`` (costs)."""
        columns = {
            "id": values["id"],
            "touch_kind": SQL("%s::varchar", kind),
            "name": values["name"],
            "date": values["date"],
            "company_id": values.get("company_id", SQL("NULL::int")),
            "mailing_id": values.get("mailing_id", SQL("NULL::int")),
            "promotion_id": values.get("promotion_id", SQL("NULL::int")),
            "program_id": values.get("program_id", SQL("NULL::int")),
            "campaign_id": values.get("campaign_id", SQL("NULL::int")),
            "campaign_activity_id": values.get(
                "campaign_activity_id", SQL("NULL::int")
            ),
            "analytic_account_id": values.get("analytic_account_id", SQL("NULL::int")),
            "recipients": SQL("COALESCE(%s, 0)::int", values["recipients"]),
            "opened": SQL("COALESCE(%s, 0)::int", values.get("opened", SQL("0"))),
            "clicked": SQL("COALESCE(%s, 0)::int", values.get("clicked", SQL("0"))),
            "buyers": SQL("COALESCE(a.buyers, 0)::int"),
            "click_buyers": SQL("COALESCE(a.click_buyers, 0)::int"),
            "orders": SQL("COALESCE(a.orders, 0)::float"),
            "revenue": SQL("COALESCE(a.revenue, 0)::numeric"),
            "order_value_min": SQL("a.order_value_min::numeric"),
            "order_value_max": SQL("a.order_value_max::numeric"),
            "cost": SQL("COALESCE(c.cost, 0)::numeric"),
        }
        return SQL(
            "SELECT %s %s",
            SQL(", ").join(
                SQL("%s AS %s", sql, SQL.identifier(name))
                for name, sql in columns.items()
            ),
            from_sql,
        )

    @api.model
    def _attributed_sql(self):
        """The attributed figures per touch."""
        return SQL(
            """
            SELECT touch_kind, mailing_id, promotion_id, program_id, campaign_id,
                   campaign_activity_id,
                   count(DISTINCT partner_id) AS buyers,
                   count(DISTINCT partner_id) FILTER (WHERE clicked) AS click_buyers,
                   sum(weight) AS orders, sum(revenue) AS revenue,
                   min(order_value) AS order_value_min,
                   max(order_value) AS order_value_max
              FROM mkt_attribution
             GROUP BY touch_kind, mailing_id, promotion_id, program_id, campaign_id,
                      campaign_activity_id
            """
        )

    @api.model
    def _cost_sql(self):
        """Costs per analytic account, whatever the plan of the account: every
        analytic line except those of customer invoices and credit notes (the
        revenue side), with the sign of a cost."""
        project_plan, other_plans = self.env["account.analytic.plan"]._get_all_plans()
        plan_columns = SQL(", ").join(
            SQL("(%s)", SQL.identifier("aal", plan._column_name()))
            for plan in project_plan | other_plans
        )
        return SQL(
            """
            SELECT plan_account.id AS account_id, -sum(aal.amount) AS cost
              FROM account_analytic_line aal
             CROSS JOIN LATERAL (VALUES %s) AS plan_account(id)
              LEFT JOIN account_move_line aml ON aml.id = aal.move_line_id
              LEFT JOIN account_move am ON am.id = aml.move_id
             WHERE plan_account.id IS NOT NULL
               AND (am.move_type IS NULL
                    OR am.move_type NOT IN ('out_invoice', 'out_refund', 'out_receipt'))
             GROUP BY plan_account.id
            """,
            plan_columns,
        )

    @api.model
    def _mailing_rows(self):
        """Mass mailings that were sent, with their traces' figures."""
        return self._row(
            "mailing",
            {
                "id": self._row_id("mailing", SQL("m.id")),
                "name": SQL("m.subject"),
                "date": SQL("COALESCE(m.sent_date, m.create_date)::date"),
                # A mailing has no company: its revenue is in the currency of
                # its responsible's company (the one that sent it).
                "company_id": SQL("responsible.company_id"),
                "mailing_id": SQL("m.id"),
                "recipients": SQL("tr.recipients"),
                "opened": SQL("tr.opened"),
                "clicked": SQL("tr.clicked"),
            },
            SQL(
                """
                FROM mailing_mailing m
                LEFT JOIN res_users responsible
                  ON responsible.id = COALESCE(m.user_id, m.create_uid)
                JOIN (SELECT mass_mailing_id,
                             count(*) FILTER (WHERE trace_status IN
                                 ('sent', 'open', 'reply')) AS recipients,
                             count(*) FILTER (WHERE trace_status IN ('open', 'reply')
                                 OR open_datetime IS NOT NULL
                                 OR links_click_datetime IS NOT NULL) AS opened,
                             count(*) FILTER (WHERE links_click_datetime IS NOT NULL)
                                 AS clicked
                        FROM mailing_trace WHERE %s
                       GROUP BY mass_mailing_id) tr ON tr.mass_mailing_id = m.id
                LEFT JOIN attributed a ON a.touch_kind = 'mailing'
                                      AND a.mailing_id = m.id
                LEFT JOIN costs c ON FALSE
                """,
                self._mailing_trace_where(),
            ),
        )

    @api.model
    def _mailing_trace_where(self):
        """Which traces are those of mass mailings (campaign emails have rows
        of their own)."""
        return SQL("mass_mailing_id IS NOT NULL AND mkt_campaign_trace_id IS NULL")

    @api.model
    def _promotion_rows(self):
        """Promotion actions: the circulation is their audience."""
        return self._row(
            "promotion",
            {
                "id": self._row_id("promotion", SQL("p.id")),
                "name": SQL("p.code || ' ' || p.name"),
                "date": SQL("p.date_start"),
                "company_id": SQL("p.company_id"),
                "promotion_id": SQL("p.id"),
                "analytic_account_id": SQL("p.analytic_account_id"),
                "recipients": SQL("p.circulation"),
            },
            SQL(
                """
                FROM mkt_promotion p
                LEFT JOIN attributed a ON a.touch_kind = 'promotion'
                                      AND a.promotion_id = p.id
                LEFT JOIN costs c ON c.account_id = p.analytic_account_id
                """
            ),
        )

    @api.model
    def _voucher_rows(self):
        """Voucher programs: the codes issued are their audience; their cost
        is the discount they granted, the reward lines of the confirmed
        orders (negative amounts, untaxed, in the company's currency)."""
        lang = self.env.lang or "en_US"
        return self._row(
            "voucher",
            {
                "id": self._row_id("voucher", SQL("lp.id")),
                "name": SQL("COALESCE(lp.name->>%s, lp.name->>'en_US')", lang),
                "date": SQL("COALESCE(lp.date_from, lp.create_date::date)"),
                "company_id": SQL("COALESCE(lp.company_id, creator.company_id)"),
                "program_id": SQL("lp.id"),
                "recipients": SQL("cards.issued"),
            },
            SQL(
                """
                FROM loyalty_program lp
                LEFT JOIN res_users creator ON creator.id = lp.create_uid
                LEFT JOIN (SELECT program_id, count(*) AS issued FROM loyalty_card card
                            WHERE %s
                            GROUP BY program_id) cards ON cards.program_id = lp.id
                LEFT JOIN attributed a ON a.touch_kind = 'voucher'
                                      AND a.program_id = lp.id
                LEFT JOIN (
                    SELECT reward.program_id,
                           -sum(%s) AS cost
                      FROM sale_order_line sol
                      JOIN sale_order so ON so.id = sol.order_id
                      JOIN loyalty_reward reward ON reward.id = sol.reward_id
                     WHERE sol.reward_id IS NOT NULL AND so.state = 'sale'
                     GROUP BY reward.program_id
                ) c ON c.program_id = lp.id
                WHERE lp.program_type NOT IN ('gift_card', 'ewallet')
                  AND (cards.issued > 0 OR a.orders > 0)
                """,
                issued_card("card"),
                order_line_revenue(),
            ),
        )

    @api.model
    def _step_costs_sql(self):
        """The costs each campaign step booked: the analytic lines naming it."""
        return SQL(
            """SELECT mkt_campaign_activity_id AS activity_id, -sum(amount) AS cost
                 FROM account_analytic_line
                WHERE mkt_campaign_activity_id IS NOT NULL
                GROUP BY mkt_campaign_activity_id"""
        )

    @api.model
    def _campaign_step_rows(self):
        """Campaign steps: the processed participants are their audience;
        opened and clicked from their emails."""
        return self._row(
            "campaign",
            {
                "id": self._row_id("campaign_step", SQL("act.id")),
                "name": SQL(
                    "camp.name || ': ' || COALESCE(act.name->>%s, act.name->>'en_US')",
                    self.env.lang or "en_US",
                ),
                "date": SQL("camp.date_start"),
                "company_id": SQL("camp.company_id"),
                "campaign_id": SQL("camp.id"),
                "campaign_activity_id": SQL("act.id"),
                "analytic_account_id": SQL("camp.analytic_account_id"),
                "recipients": SQL("steps.processed"),
                "opened": SQL("steps.opened"),
                "clicked": SQL("steps.clicked"),
            },
            SQL(
                """
                FROM mkt_campaign_activity act
                JOIN mkt_campaign camp
                  ON camp.id = act.campaign_id AND camp.is_template IS NOT TRUE
                LEFT JOIN (
                    SELECT ct.activity_id,
                           count(*) FILTER (WHERE ct.state = 'processed') AS processed,
                           count(mt.id) FILTER (WHERE mt.trace_status IN ('open', 'reply')
                               OR mt.open_datetime IS NOT NULL
                               OR mt.links_click_datetime IS NOT NULL) AS opened,
                           count(mt.id) FILTER (WHERE mt.links_click_datetime IS NOT NULL)
                               AS clicked
                      FROM mkt_campaign_trace ct
                      LEFT JOIN mailing_trace mt ON mt.id = ct.mailing_trace_id
                     GROUP BY ct.activity_id) steps ON steps.activity_id = act.id
                LEFT JOIN attributed a ON a.touch_kind = 'campaign'
                                      AND a.campaign_activity_id = act.id
                LEFT JOIN (%s) c ON c.activity_id = act.id
                """,
                self._step_costs_sql(),
            ),
        )

    @api.model
    def _campaign_rows(self):
        """One row per campaign for what no step carries: the orders that came
        through its UTM link, and the costs of its analytic account beyond the
        steps' own (vendor bills, agency ...); its audience is its participants.
        Grouped by campaign, the rows add up to the campaign's account."""
        return self._row(
            "campaign",
            {
                "id": self._row_id("campaign", SQL("camp.id")),
                "name": SQL("camp.name"),
                "date": SQL("camp.date_start"),
                "company_id": SQL("camp.company_id"),
                "campaign_id": SQL("camp.id"),
                "analytic_account_id": SQL("camp.analytic_account_id"),
                "recipients": SQL("0"),
            },
            SQL(
                """
                FROM mkt_campaign camp
                LEFT JOIN attributed a ON a.touch_kind = 'campaign'
                                      AND a.campaign_id = camp.id
                                      AND a.campaign_activity_id IS NULL
                LEFT JOIN costs account_cost
                       ON account_cost.account_id = camp.analytic_account_id
                CROSS JOIN LATERAL (
                    SELECT COALESCE(account_cost.cost, 0)
                           - COALESCE(sum(step_cost.cost), 0) AS cost
                      FROM mkt_campaign_activity act
                      JOIN (%s) step_cost ON step_cost.activity_id = act.id
                     WHERE act.campaign_id = camp.id) c
                WHERE camp.is_template IS NOT TRUE
                """,
                self._step_costs_sql(),
            ),
        )

    # ------------------------------------------------------------------
    # Grouping
    # ------------------------------------------------------------------

    def _read_group_select(self, aggregate_spec, query):
        """Ratios of a group are ratios of the group's sums."""
        fname, __, __ = parse_read_group_spec(aggregate_spec)
        if fname in RATIOS:
            return RATIOS[fname](
                lambda f: SQL("SUM(%s)", self._field_to_sql(self._table, f, query))
            )
        return super()._read_group_select(aggregate_spec, query)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _attribution_domain(self):
        self.ensure_one()
        domain = [("touch_kind", "=", self.touch_kind)]
        for field_name in self._touch_key_fields():
            domain.append((field_name, "=", self[field_name].id))
        return domain

    @api.model
    def _touch_key_fields(self):
        return [
            "mailing_id",
            "promotion_id",
            "program_id",
            "campaign_id",
            "campaign_activity_id",
        ]

    def action_open_orders(self):
        """The orders attributed to this touch."""
        self.ensure_one()
        attributions = self.env["mkt.attribution"].search(self._attribution_domain())
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Orders of %(touch)s", touch=self.name),
            "res_model": "sale.order",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", attributions.order_id.ids)],
            "context": {"create": False},
        }

    def action_open_attributions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mkt_analytics.mkt_attribution_action"
        )
        action["domain"] = self._attribution_domain()
        action["context"] = {"create": False}
        return action
