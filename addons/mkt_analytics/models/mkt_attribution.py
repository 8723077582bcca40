"""Attribution: which marketing touches earned which confirmed order.

Every source of touches (a mass mailing the customer reacted to, a campaign
email or response, a promotion code on the order, a voucher redeemed on it) is
one SQL piece, a method named ``_touches_<source>``, that returns rows of the
same shape for a set of orders. The pieces are put together with UNION ALL, the
same touch of one order is kept once, and the company's rule (last touch, first
touch, linear) picks the touches and their weights, all in one statement for a
whole batch of orders. Adding a source of touches is adding one method and
naming it in ``_touch_sources``.

The weights of an order's rows add up to 1, whatever the rule, so that no order
is counted twice in any sum of ``orders`` or ``revenue``.

A source may name a ``gate``, a query telling whether it has any rows at all
(campaigns, vouchers): PostgreSQL checks it once per statement and skips the
joins of an empty source. The statement writes only the rows that changed, so
that the nightly rebuild, where few attributions change, stays a read.
"""

import logging
import threading

from odoo import api, fields, models
from odoo.tools import SQL

from .res_company import ATTRIBUTION_RULES

_logger = logging.getLogger(__name__)

TOUCH_KINDS = [
    ("mailing", "Mailing"),
    ("campaign", "Campaign"),
    ("promotion", "Promotion"),
    ("voucher", "Voucher"),
]

# Advisory lock class of the rebuild (with the company id as second key).
REBUILD_LOCK = 72_107_001

# Columns a touch piece may fill (missing ones are NULL), in insertion order.
TOUCH_COLUMNS = {
    "mailing_id": "int",
    "mailing_trace_id": "int",
    "promotion_id": "int",
    "program_id": "int",
    "campaign_id": "int",
    "campaign_activity_id": "int",
}

# Columns read by the hand-written SQL, flushed before it.
FLUSH_FIELDS = {
    "sale.order": [
        "state",
        "company_id",
        "partner_id",
        "date_order",
        "amount_untaxed",
        "currency_rate",
        "source_id",
        "mkt_promotion_id",
        "campaign_id",
    ],
    "sale.order.line": ["order_id", "reward_id", "invoice_lines"],
    "res.partner": ["commercial_partner_id", "email_normalized"],
    "res.company": [
        "mkt_attribution_rule",
        "mkt_attribution_window_days",
        "mkt_attribution_mail_event",
    ],
    "mailing.trace": [
        "model",
        "res_id",
        "email",
        "mass_mailing_id",
        "trace_status",
        "sent_datetime",
        "open_datetime",
        "links_click_datetime",
        "mkt_campaign_trace_id",
    ],
    "mailing.mailing": ["source_id"],
    "mkt.campaign": ["utm_campaign_id"],
    "mkt.campaign.participant": ["partner_id"],
    "mkt.campaign.trace": [
        "participant_id",
        "activity_id",
        "campaign_id",
        "response",
        "response_at",
    ],
    "loyalty.reward": ["program_id"],
    "loyalty.program": ["program_type"],
    "account.move.line": ["parent_state", "balance", "move_id"],
    "account.move": ["move_type"],
}


class MktAttribution(models.Model):
    """An order attributed to a touch, with its share of the order's value."""

    _name = "mkt.attribution"
    _description = "Order Attribution"
    _order = "date desc, order_id desc, id"
    _rec_name = "order_id"
    # Rows the system derives from orders and touches, never edited: who and
    # when wrote them says nothing (and would cost two more foreign key checks
    # per row written).
    _log_access = False

    order_id = fields.Many2one(
        "sale.order", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        readonly=True,
        index=True,
        help="The commercial entity that ordered.",
    )
    date = fields.Datetime(string="Order Date", readonly=True)
    rule = fields.Selection(ATTRIBUTION_RULES, required=True, readonly=True)
    touch_kind = fields.Selection(TOUCH_KINDS, required=True, readonly=True)
    touch_date = fields.Datetime(readonly=True)
    mailing_id = fields.Many2one(
        "mailing.mailing", readonly=True, index="btree_not_null"
    )
    mailing_trace_id = fields.Many2one(
        "mailing.trace",
        string="Mail Trace",
        readonly=True,
        ondelete="set null",
        help="The mail whose reaction made the touch; empty when the order came "
        "through the mailing's tracked link only.",
    )
    promotion_id = fields.Many2one(
        "mkt.promotion", readonly=True, index="btree_not_null"
    )
    program_id = fields.Many2one(
        "loyalty.program", string="Voucher", readonly=True, index="btree_not_null"
    )
    campaign_id = fields.Many2one("mkt.campaign", readonly=True, index="btree_not_null")
    campaign_activity_id = fields.Many2one(
        "mkt.campaign.activity",
        string="Campaign Step",
        readonly=True,
        index="btree_not_null",
        help="Empty when the order came through the campaign's UTM link only.",
    )
    clicked = fields.Boolean(
        readonly=True,
        help="The customer clicked in the mail of this touch before ordering.",
    )
    weight = fields.Float(
        string="Share",
        readonly=True,
        digits=(16, 4),
        help="The touch's share of the order: 1 for first and last touch, 1/n for "
        "n touches under the linear rule.",
    )
    order_value = fields.Monetary(
        readonly=True,
        help="Untaxed value of the order minus its posted credit notes, in the "
        "company's currency.",
    )
    revenue = fields.Monetary(
        readonly=True, help="The touch's share of the order value."
    )

    # ------------------------------------------------------------------
    # Set-up
    # ------------------------------------------------------------------

    def init(self):
        # One row per order and touch; one row per order for first/last touch.
        self.env.cr.execute(
            """
            DROP INDEX IF EXISTS mkt_attribution_touch_uniq;
            CREATE UNIQUE INDEX IF NOT EXISTS mkt_attribution_touch_key_uniq
                ON mkt_attribution (order_id, touch_kind,
                    COALESCE(mailing_id, 0), COALESCE(promotion_id, 0),
                    COALESCE(program_id, 0), COALESCE(campaign_id, 0),
                    COALESCE(campaign_activity_id, 0));
            CREATE UNIQUE INDEX IF NOT EXISTS mkt_attribution_single_uniq
                ON mkt_attribution (order_id) WHERE rule IN ('first', 'last');
            -- Mail traces are looked up by their addressee. Covering (with
            -- the trace's id): the touches are read from the index alone.
            DROP INDEX IF EXISTS mailing_trace_mkt_partner_idx;
            CREATE INDEX IF NOT EXISTS mailing_trace_mkt_partner_event_idx
                ON mailing_trace (res_id)
                INCLUDE (id, mass_mailing_id, links_click_datetime, open_datetime,
                         sent_datetime, trace_status)
                WHERE model = 'res.partner';
            -- The clicks of mass mailings alone (the default touch): about a
            -- tenth of the traces, read whole by a rebuild batch.
            CREATE INDEX IF NOT EXISTS mailing_trace_mkt_click_idx
                ON mailing_trace (res_id)
                INCLUDE (id, mass_mailing_id, links_click_datetime)
                WHERE model = 'res.partner' AND links_click_datetime IS NOT NULL
                  AND mass_mailing_id IS NOT NULL AND mkt_campaign_trace_id IS NULL;
            CREATE INDEX IF NOT EXISTS mailing_trace_mkt_email_idx
                ON mailing_trace (email) WHERE model <> 'res.partner';
            -- Reward lines (vouchers) are few among the order lines.
            CREATE INDEX IF NOT EXISTS sale_order_line_mkt_reward_idx
                ON sale_order_line (order_id) WHERE reward_id IS NOT NULL;
            """
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_order(self):
        self.ensure_one()
        return self.order_id._get_formview_action()

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_rebuild(self, batch_size=50000):
        """Attribute every order of the companies due for a rebuild, in batches.

        A company is due when its settings changed, or, when none is, every
        night (late mail events and credit notes come in). Its orders are
        walked in id order from the cursor kept on the company; each batch
        replaces the attribution of one run of order ids in two statements and
        moves the cursor, then commits (outside tests). A run after a crash goes
        on from the cursor; a parallel run skips the company another run holds
        (``pg_try_advisory_xact_lock``), so nothing is done twice.
        """
        Company = self.env["res.company"]
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        if not Company.search_count([("mkt_attribution_rebuild", "=", True)]):
            self._schedule_rebuild(Company.search([]), trigger=False)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        companies = Company.search([("mkt_attribution_rebuild", "=", True)])
        remaining = self._count_rebuild_orders(companies)
        done = 0
        for company in companies:
            while True:
                batch = self._claim_rebuild_batch(company, batch_size)
                if batch is None:
                    break
                done += batch
                self.env["ir.cron"]._notify_progress(
                    done=done, remaining=max(remaining - done, 0)
                )
                if auto_commit:
                    # One transaction per batch: a crash loses one batch at most.
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        _logger.info("Attribution: %d orders attributed", done)

    @api.model
    def _schedule_rebuild(self, companies, trigger=True):
        """Mark ``companies`` for a rebuild of all their orders' attribution."""
        companies.flush_recordset()
        self.env.cr.execute(
            SQL(
                """UPDATE res_company SET mkt_attribution_rebuild = TRUE,
                          mkt_attribution_cursor = 0
                    WHERE id = ANY(%s)""",
                companies.ids,
            )
        )
        companies.invalidate_recordset(
            ["mkt_attribution_rebuild", "mkt_attribution_cursor"]
        )
        if trigger:
            self.env.ref("mkt_analytics.ir_cron_rebuild_attribution")._trigger()

    @api.model
    def _count_rebuild_orders(self, companies):
        if not companies:
            return 0
        self.env.cr.execute(
            SQL(
                """SELECT count(*) FROM sale_order so
                     JOIN res_company co ON co.id = so.company_id
                    WHERE co.id = ANY(%s) AND so.id > co.mkt_attribution_cursor""",
                companies.ids,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _claim_rebuild_batch(self, company, batch_size):
        """Attribute the next run of at most ``batch_size`` orders of ``company``
        and move its cursor; return how many orders the run had, or None when
        the company is done or another run holds it."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT pg_try_advisory_xact_lock(%s, %s)",
                REBUILD_LOCK,
                company.id,
            )
        )
        if not cr.fetchone()[0]:
            return None
        cr.execute(
            SQL(
                """SELECT mkt_attribution_cursor FROM res_company
                    WHERE id = %s AND mkt_attribution_rebuild""",
                company.id,
            )
        )
        row = cr.fetchone()
        if not row:
            return None
        self.env["sale.order"].flush_model(["company_id"])
        cr.execute(
            SQL(
                """SELECT count(*), max(id) FROM (
                       SELECT id FROM sale_order
                        WHERE company_id = %s AND id > %s
                        ORDER BY id LIMIT %s) batch""",
                company.id,
                row[0],
                batch_size,
            )
        )
        count, last_id = cr.fetchone()
        if not count:
            cr.execute(
                SQL(
                    """UPDATE res_company SET mkt_attribution_rebuild = FALSE
                        WHERE id = %s""",
                    company.id,
                )
            )
            company.invalidate_recordset(["mkt_attribution_rebuild"])
            return None
        self._attribute_range(company, row[0] + 1, last_id)
        cr.execute(
            SQL(
                "UPDATE res_company SET mkt_attribution_cursor = %s WHERE id = %s",
                last_id,
                company.id,
            )
        )
        company.invalidate_recordset(["mkt_attribution_cursor"])
        return count

    # ------------------------------------------------------------------
    # Attribution
    # ------------------------------------------------------------------

    @api.model
    def _attribute_orders(self, order_ids):
        """Replace the attribution of the given orders (ids): confirmed orders
        get the rows of their company's rule, the others none. One statement,
        whatever the number of orders."""
        if not order_ids:
            return
        order_ids = list(order_ids)
        self._flush_sources()
        self.env.cr.execute(
            self._attribution_sql(
                SQL("so.id = ANY(%s)", order_ids),
                SQL("a.order_id = ANY(%s)", order_ids),
            )
        )
        self.invalidate_model()

    @api.model
    def _attribute_range(self, company, first_id, last_id):
        """Replace the attribution of the company's orders with ids from
        ``first_id`` to ``last_id`` (a rebuild batch)."""
        self._flush_sources()
        self = self.with_context(mkt_mail_event=company.mkt_attribution_mail_event)
        self.env.cr.execute(
            self._attribution_sql(
                SQL(
                    "so.company_id = %s AND so.id BETWEEN %s AND %s",
                    company.id,
                    first_id,
                    last_id,
                ),
                SQL(
                    "a.company_id = %s AND a.order_id BETWEEN %s AND %s",
                    company.id,
                    first_id,
                    last_id,
                ),
            )
        )
        self.invalidate_model()

    def _flush_sources(self):
        for model, field_names in FLUSH_FIELDS.items():
            self.env[model].flush_model(field_names)
        self.flush_model()

    @api.model
    def _touch_sources(self):
        """The methods that return the touches of the orders, one per source."""
        return [
            self._touches_mail_partner,
            self._touches_mail_contact,
            self._touches_mailing_link,
            self._touches_promotion,
            self._touches_voucher,
            self._touches_campaign_mail,
            self._touches_campaign_response,
            self._touches_campaign_link,
        ]

    @api.model
    def _orders_sql(self, orders_where):
        """The confirmed orders matching ``orders_where`` (SQL on ``so``) with
        what the rules need:
        buyer (commercial entity), date, value net of credit notes, settings."""
        return SQL(
            """
            SELECT so.id, so.company_id, buyer.commercial_partner_id AS partner_id,
                   so.date_order, so.source_id, so.mkt_promotion_id,
                   so.campaign_id,
                   so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
                       - COALESCE(refund.amount, 0) AS value,
                   co.mkt_attribution_rule AS rule,
                   so.date_order - make_interval(
                       days => co.mkt_attribution_window_days) AS window_start,
                   co.mkt_attribution_mail_event AS mail_event
              FROM sale_order so
              JOIN res_partner buyer ON buyer.id = so.partner_id
              JOIN res_company co ON co.id = so.company_id
              LEFT JOIN LATERAL (
                    SELECT sum(aml.balance) AS amount
                      FROM sale_order_line sol
                      JOIN sale_order_line_invoice_rel rel
                        ON rel.order_line_id = sol.id
                      JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                      JOIN account_move am ON am.id = aml.move_id
                     WHERE sol.order_id = so.id AND aml.parent_state = 'posted'
                       AND am.move_type = 'out_refund'
                   ) refund ON TRUE
             WHERE so.state = 'sale' AND %s
            """,
            orders_where,
        )

    @api.model
    def _mail_event_date(self, trace):
        """The date of the latest reaction to a mail that counts as a touch
        under the company's setting and came before the order (NULL if none;
        GREATEST skips NULLs)."""
        return SQL(
            """GREATEST(
                CASE WHEN %(trace)s.links_click_datetime <= o.date_order
                     THEN %(trace)s.links_click_datetime END,
                CASE WHEN o.mail_event IN ('opened', 'received')
                      AND %(trace)s.open_datetime <= o.date_order
                     THEN %(trace)s.open_datetime END,
                CASE WHEN o.mail_event = 'received'
                      AND %(trace)s.trace_status IN ('sent', 'open', 'reply')
                      AND %(trace)s.sent_datetime <= o.date_order
                     THEN %(trace)s.sent_datetime END)""",
            trace=SQL.identifier(trace),
        )

    @api.model
    def _mail_touch(self, joins, where):
        """Touch rows of the mail traces ``t`` that ``joins`` (SQL) finds for
        the orders ``o``: dated by the latest counting event, within the window.

        When the batch is one company's and it counts clicks only (the default),
        the click is the touch: a plain range condition the planner filters
        with while joining, instead of an expression per mail.
        """
        touch = {
            "touch_kind": SQL("'mailing'"),
            "priority": SQL("1"),
            "mailing_id": SQL("t.mass_mailing_id"),
            "mailing_trace_id": SQL("t.id"),
            "clicked": SQL("t.links_click_datetime <= o.date_order"),
        }
        if self.env.context.get("mkt_mail_event") == "clicked":
            return {
                **touch,
                "touch_date": SQL("t.links_click_datetime"),
                "from": joins,
                "where": SQL(
                    """%s AND t.links_click_datetime IS NOT NULL
                       AND t.links_click_datetime
                              BETWEEN o.window_start AND o.date_order""",
                    where,
                ),
            }
        return {
            **touch,
            "touch_date": SQL("ev.at"),
            "from": SQL(
                "%s CROSS JOIN LATERAL (SELECT %s AS at) ev",
                joins,
                self._mail_event_date("t"),
            ),
            "where": SQL("%s AND ev.at >= o.window_start", where),
        }

    @api.model
    def _mass_mailing_traces(self):
        """Which traces are those of mass mailings (campaign emails are
        campaign touches)."""
        return SQL("t.mass_mailing_id IS NOT NULL AND t.mkt_campaign_trace_id IS NULL")

    @api.model
    def _touches_mail_partner(self):
        """Mass mailings sent to the buyer's contacts (traces on res.partner)."""
        return self._mail_touch(
            SQL(
                """JOIN res_partner member
                     ON member.commercial_partner_id = o.partner_id
                   JOIN mailing_trace t
                     ON t.model = 'res.partner' AND t.res_id = member.id"""
            ),
            self._mass_mailing_traces(),
        )

    @api.model
    def _touches_mail_contact(self):
        """Mass mailings sent to mailing-list contacts (or other documents) with
        the email address of one of the buyer's contacts."""
        touch = self._mail_touch(
            SQL(
                """JOIN res_partner member
                     ON member.commercial_partner_id = o.partner_id
                    AND member.email_normalized IS NOT NULL
                   JOIN mailing_trace t
                     ON t.model <> 'res.partner' AND t.email = member.email_normalized"""
            ),
            self._mass_mailing_traces(),
        )
        touch["gate"] = SQL("SELECT FROM mailing_trace WHERE model <> 'res.partner'")
        return touch

    @api.model
    def _touches_mailing_link(self):
        """Orders that came through a mailing's tracked link (mass_mailing_sale
        gives them the mailing's UTM source): a click at the order's date."""
        return {
            "touch_kind": SQL("'mailing'"),
            "priority": SQL("1"),
            "touch_date": SQL("o.date_order"),
            "mailing_id": SQL("m.id"),
            "clicked": SQL("TRUE"),
            "from": SQL("JOIN mailing_mailing m ON m.source_id = o.source_id"),
            "where": SQL("TRUE"),
            "gate": SQL("SELECT FROM mailing_mailing WHERE source_id IS NOT NULL"),
        }

    @api.model
    def _touches_promotion(self):
        """The promotion action whose code is on the order."""
        return {
            "touch_kind": SQL("'promotion'"),
            "priority": SQL("3"),
            "touch_date": SQL("o.date_order"),
            "promotion_id": SQL("o.mkt_promotion_id"),
            "from": SQL(""),
            "where": SQL("o.mkt_promotion_id IS NOT NULL"),
        }

    @api.model
    def _touches_voucher(self):
        """Vouchers and promotion codes of sale_loyalty redeemed on the order
        (its reward lines); gift cards and eWallets are means of payment."""
        return {
            "touch_kind": SQL("'voucher'"),
            "priority": SQL("4"),
            "touch_date": SQL("o.date_order"),
            "program_id": SQL("reward.program_id"),
            "from": SQL(
                """JOIN sale_order_line sol
                     ON sol.order_id = o.id AND sol.reward_id IS NOT NULL
                   JOIN loyalty_reward reward ON reward.id = sol.reward_id
                   JOIN loyalty_program program ON program.id = reward.program_id"""
            ),
            "where": SQL("program.program_type NOT IN ('gift_card', 'ewallet')"),
            "gate": SQL(
                """SELECT FROM loyalty_program
                    WHERE program_type NOT IN ('gift_card', 'ewallet')"""
            ),
        }

    @api.model
    def _touches_campaign_mail(self):
        """Campaign emails to the buyer's contacts, as the mail setting says."""
        touch = self._mail_touch(
            SQL(
                """JOIN res_partner member
                     ON member.commercial_partner_id = o.partner_id
                   JOIN mkt_campaign_participant participant
                     ON participant.partner_id = member.id
                   JOIN mkt_campaign_trace ct ON ct.participant_id = participant.id
                   JOIN mailing_trace t ON t.mkt_campaign_trace_id = ct.id"""
            ),
            SQL("TRUE"),
        )
        touch.update(
            touch_kind=SQL("'campaign'"),
            priority=SQL("2"),
            mailing_id=SQL("NULL"),
            campaign_id=SQL("ct.campaign_id"),
            campaign_activity_id=SQL("ct.activity_id"),
            gate=SQL(
                "SELECT FROM mailing_trace WHERE mkt_campaign_trace_id IS NOT NULL"
            ),
        )
        return touch

    @api.model
    def _touches_campaign_response(self):
        """Campaign steps the buyer answered (reply card, contact form, call,
        reply to the email) within the window before the order; orders are
        no response to count here."""
        return {
            "touch_kind": SQL("'campaign'"),
            "priority": SQL("2"),
            "touch_date": SQL("ct.response_at"),
            "campaign_id": SQL("ct.campaign_id"),
            "campaign_activity_id": SQL("ct.activity_id"),
            "from": SQL(
                """JOIN res_partner member
                     ON member.commercial_partner_id = o.partner_id
                   JOIN mkt_campaign_participant participant
                     ON participant.partner_id = member.id
                   JOIN mkt_campaign_trace ct ON ct.participant_id = participant.id"""
            ),
            "where": SQL(
                """ct.response IN ('email', 'form', 'call', 'letter')
                   AND ct.response_at <= o.date_order
                   AND ct.response_at >= o.window_start"""
            ),
            "gate": SQL("SELECT FROM mkt_campaign_participant"),
        }

    @api.model
    def _touches_campaign_link(self):
        """Orders that carry the campaign's UTM campaign (a tracked link of the
        campaign, or set by the salesperson): the campaign at the order."""
        return {
            "touch_kind": SQL("'campaign'"),
            "priority": SQL("2"),
            "touch_date": SQL("o.date_order"),
            "campaign_id": SQL("c.id"),
            "from": SQL("JOIN mkt_campaign c ON c.utm_campaign_id = o.campaign_id"),
            "where": SQL("TRUE"),
            "gate": SQL("SELECT FROM mkt_campaign"),
        }

    @api.model
    def _gated(self, touch):
        """The touch's condition, and that its source has any rows at all
        (``gate``, a query without reference to the orders): PostgreSQL
        checks such a condition once, before the joins, and skips the joins
        of an empty source (a database without campaigns or vouchers)."""
        if "gate" not in touch:
            return touch["where"]
        return SQL("%s AND EXISTS (%s)", touch["where"], touch["gate"])

    @api.model
    def _touch_columns(self):
        return dict(TOUCH_COLUMNS)

    @api.model
    def _attribution_sql(self, orders_where, replaced_where):
        """The statement that brings the attribution of the orders matching
        ``orders_where`` (SQL on ``so``) up to date: the rows of
        ``replaced_where`` (SQL on ``a``, the same orders) that are no longer
        right are deleted, and the rows that are missing inserted.

        Rows that did not change are left alone: a nightly rebuild, where few
        attributions change (late clicks, credit notes), writes only those,
        instead of rewriting every row with its indexes and foreign key checks.
        """
        columns = self._touch_columns()
        pieces = []
        for source in self._touch_sources():
            touch = source()
            pieces.append(
                SQL(
                    """SELECT o.id AS order_id, %(kind)s::varchar AS touch_kind,
                              %(priority)s AS priority, %(date)s AS touch_date,
                              %(columns)s, %(clicked)s AS clicked
                         FROM orders o %(from)s WHERE %(where)s""",
                    kind=touch["touch_kind"],
                    priority=touch["priority"],
                    date=touch["touch_date"],
                    columns=SQL(", ").join(
                        SQL(
                            "%s::%s AS %s",
                            touch.get(name, SQL("NULL")),
                            SQL(sql_type),
                            SQL.identifier(name),
                        )
                        for name, sql_type in columns.items()
                    ),
                    clicked=touch.get("clicked", SQL("FALSE")),
                    **{"from": touch["from"], "where": self._gated(touch)},
                )
            )
        # The touch's identity: its kind and what it points to (not the trace).
        identity = SQL(", ").join(
            SQL.identifier(name)
            for name in ("touch_kind", *columns)
            if name != "mailing_trace_id"
        )
        prefixed_columns = SQL(", ").join(SQL.identifier("t", name) for name in columns)
        # What a row says; a row whose every value is the same is kept as is.
        content = [
            "order_id",
            "company_id",
            "partner_id",
            "date",
            "rule",
            "touch_kind",
            "touch_date",
            *columns,
            "clicked",
            "weight",
            "order_value",
            "revenue",
        ]

        def row(alias):
            return SQL(
                "(%s)",
                SQL(", ").join(SQL.identifier(alias, name) for name in content),
            )

        return SQL(
            """
            WITH orders AS (%(orders)s),
            touches AS (%(pieces)s),
            unique_touches AS (
                -- The same touch of an order counts once: its latest event, and
                -- clicked when any of its mails was clicked.
                SELECT DISTINCT ON (order_id, %(identity)s) *,
                       bool_or(clicked) OVER (PARTITION BY order_id, %(identity)s)
                           AS any_click
                  FROM touches WHERE touch_date IS NOT NULL
                 ORDER BY order_id, %(identity)s, touch_date DESC,
                          mailing_trace_id DESC NULLS LAST
            ),
            ranked AS (
                SELECT t.*,
                       row_number() OVER (PARTITION BY order_id ORDER BY
                           touch_date DESC, priority DESC, %(identity)s) AS last_rank,
                       row_number() OVER (PARTITION BY order_id ORDER BY
                           touch_date, priority DESC, %(identity)s) AS first_rank,
                       count(*) OVER (PARTITION BY order_id) AS touch_count
                  FROM unique_touches t
            ),
            computed AS (
                SELECT o.id AS order_id, o.company_id, o.partner_id,
                       o.date_order AS date, o.rule, t.touch_kind, t.touch_date,
                       %(prefixed_columns)s, t.any_click AS clicked,
                       w.weight, o.value AS order_value, o.value * w.weight AS revenue
                  FROM ranked t
                  JOIN orders o ON o.id = t.order_id
                 CROSS JOIN LATERAL (
                        SELECT CASE WHEN o.rule = 'linear' THEN 1.0 / t.touch_count
                                    ELSE 1.0 END AS weight) w
                 WHERE o.rule = 'linear'
                    OR (o.rule = 'last' AND t.last_rank = 1)
                    OR (o.rule = 'first' AND t.first_rank = 1)
            ),
            outdated AS (
                DELETE FROM mkt_attribution a
                 WHERE %(replaced_where)s AND NOT EXISTS (
                        SELECT FROM computed n
                         WHERE n.order_id = a.order_id
                           AND %(new_row)s IS NOT DISTINCT FROM %(old_row)s)
             RETURNING a.id
            )
            INSERT INTO mkt_attribution (%(content)s)
            SELECT n.* FROM computed n
             WHERE NOT EXISTS (
                    SELECT FROM mkt_attribution a
                     WHERE a.order_id = n.order_id
                       AND %(new_row)s IS NOT DISTINCT FROM %(old_row)s)
               -- Evaluated once, before the first row is inserted: the outdated
               -- rows are gone before a new row takes their place in the
               -- unique indexes. (The NOT EXISTS above still sees them: it
               -- reads the statement's snapshot.)
               AND (SELECT count(*) FROM outdated) >= 0
            """,
            orders=self._orders_sql(orders_where),
            pieces=SQL(" UNION ALL ").join(pieces),
            identity=identity,
            prefixed_columns=prefixed_columns,
            replaced_where=replaced_where,
            new_row=row("n"),
            old_row=row("a"),
            content=SQL(", ").join(SQL.identifier(name) for name in content),
        )
