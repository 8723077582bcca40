from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date

from odoo.addons.mkt_scoring.tools.order_sql import ORDER_FIELDS, order_revenue

MEDIA = [
    ("ad", "Advertisement"),
    ("catalog", "Catalog"),
    ("newsletter", "Newsletter"),
    ("webshop", "Webshop"),
    ("marketplace", "Marketplace"),
    ("flyer", "Flyer"),
    ("other", "Other"),
]


def normalize_code(code):
    """Codes are compared without surrounding blanks and case: "k24-0815 " = "K24-0815"."""
    return (code or "").strip().upper() or False


class MktPromotion(models.Model):
    """A promotion action ("Aktion"): an ad, catalog, newsletter, flyer... with a code.

    Customers quote the code; at order entry it resolves the action (exactly, or
    through the reference prefix / suffix printed on the medium), and the order
    gets the action's special prices (pricelist items of the action's own
    pricelist) and benefits (``mkt.promotion.benefit``).
    """

    _name = "mkt.promotion"
    _description = "Promotion Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        copy=False,
        help="What customers quote and staff type at order entry, e.g. K24.",
    )
    prefix = fields.Char(
        string="Reference Prefix",
        copy=False,
        help="Typed codes starting with this prefix resolve to this action, e.g. "
        "K24- for catalog references K24-0815.",
    )
    suffix = fields.Char(
        string="Reference Suffix",
        copy=False,
        help="Typed codes ending with this suffix resolve to this action, e.g. -F for "
        "flyer references 0815-F.",
    )
    medium = fields.Selection(MEDIA, required=True, default="catalog", tracking=True)
    date_start = fields.Date(string="Valid From", tracking=True)
    date_end = fields.Date(string="Valid Until", tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("done", "Done")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user
    )
    description = fields.Html()

    # Audience: who may order under the action.
    audience = fields.Selection(
        [
            ("all", "Everyone"),
            ("b2c", "Private customers (B2C)"),
            ("b2b", "Business customers (B2B)"),
        ],
        required=True,
        default="all",
    )
    segment_id = fields.Many2one(
        "mkt.segment",
        check_company=True,
        help="Only customers of this segment may order under the action.",
    )
    class_ids = fields.Many2many(
        "mkt.customer.class",
        string="Customer Classes",
        check_company=True,
        help="Only customers of these classes may order under the action.",
    )

    # Advertising medium and its cost.
    circulation = fields.Integer(
        help="How many catalogs, flyers or mails went out: the base of the response "
        "rate and of the cost per piece."
    )
    ad_cost = fields.Monetary(string="Advertising Cost", tracking=True)
    ad_cost_per_piece = fields.Monetary(
        string="Cost per Piece",
        compute="_compute_ad_cost_per_piece",
        inverse="_inverse_ad_cost_per_piece",
        help="Advertising cost divided by the circulation; setting it sets the total.",
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Analytic Account",
        check_company=True,
        copy=False,
        help="Costs and revenues of the action. Created under the Marketing plan "
        "when left empty.",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        readonly=True,
        copy=False,
        help="Holds the special prices of the action's products.",
    )

    line_ids = fields.One2many(
        "mkt.promotion.line", "promotion_id", string="Products", copy=True
    )
    benefit_ids = fields.One2many(
        "mkt.promotion.benefit", "promotion_id", string="Benefits", copy=True
    )
    earlybird_granted = fields.Integer(
        string="Early-Bird Places Taken",
        default=0,
        readonly=True,
        copy=False,
        help="Customers whose confirmed order received the early-bird benefits.",
    )

    # What the action brought: confirmed orders only.
    order_count = fields.Integer(string="Orders", compute="_compute_results")
    customer_count = fields.Integer(string="Customers", compute="_compute_results")
    revenue = fields.Monetary(compute="_compute_results")
    response_rate = fields.Float(
        string="Response Rate (%)",
        compute="_compute_results",
        help="Ordering customers per 100 pieces of circulation.",
    )

    def init(self):
        # The constraint below checks case-insensitive codes; this index is the
        # last line of defence against two transactions creating the same code.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS mkt_promotion_company_code_uniq"
            " ON mkt_promotion (company_id, upper(code))"
        )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for promotion in self:
            if (
                promotion.date_start
                and promotion.date_end
                and promotion.date_end < promotion.date_start
            ):
                raise ValidationError(
                    self.env._(
                        'Promotion action "%(action)s": "%(end_field)s" (%(end)s) is '
                        'before "%(start_field)s" (%(start)s).',
                        action=promotion.display_name,
                        end_field=self._mkt_field_label("date_end"),
                        end=format_date(self.env, promotion.date_end),
                        start_field=self._mkt_field_label("date_start"),
                        start=format_date(self.env, promotion.date_start),
                    )
                )

    @api.constrains("circulation", "ad_cost")
    def _check_amounts(self):
        for promotion in self:
            for field_name in ("circulation", "ad_cost"):
                if promotion[field_name] < 0:
                    raise ValidationError(
                        self.env._(
                            'Promotion action "%(action)s": "%(field)s" cannot be '
                            "negative (%(value)s).",
                            action=promotion.display_name,
                            field=self._mkt_field_label(field_name),
                            value=promotion[field_name],
                        )
                    )

    def _check_code_free(self, code, company_id):
        """Refuse a code another action of the company already uses.

        Checked before writing so that the message names the field; the unique
        index of ``init`` still guards against two simultaneous creations.
        """
        if not code:
            return
        taken = self.sudo().search(
            [
                ("company_id", "=", company_id),
                (
                    "code",
                    "=ilike",
                    code.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"),
                ),
                ("id", "not in", self.ids),
            ],
            limit=1,
        )
        if taken:
            raise ValidationError(
                self.env._(
                    'The %(field)s "%(code)s" is already used by the promotion action '
                    '"%(other)s" of this company.',
                    field=self._mkt_field_label("code"),
                    code=code,
                    other=taken.name,
                )
            )

    @api.constrains("prefix", "suffix", "date_start", "date_end", "company_id", "state")
    def _check_patterns_unambiguous(self):
        """Two actions valid at the same time must not both match one typed code.

        A typed code matches a pattern when it starts with the prefix and ends with
        the suffix. Two patterns can match the same code exactly when one prefix
        starts the other and one suffix ends the other (an empty prefix or suffix
        starts or ends everything).
        """
        self.flush_model()
        candidates = self.search(
            [
                ("company_id", "in", self.company_id.ids),
                ("state", "!=", "done"),
                "|",
                ("prefix", "!=", False),
                ("suffix", "!=", False),
            ]
        )
        for promotion in self.filtered(lambda p: p.state != "done"):
            if not (promotion.prefix or promotion.suffix):
                continue
            for other in candidates - promotion:
                if other.company_id == promotion.company_id and (
                    promotion._overlaps_in_time(other)
                    and promotion._pattern_overlaps(other)
                ):
                    raise ValidationError(
                        self.env._(
                            'Promotion action "%(action)s": its reference pattern '
                            '"%(pattern)s" (%(prefix)s / %(suffix)s) can match the same '
                            'typed codes as the pattern "%(other_pattern)s" of the '
                            'action "%(other)s", which runs at the same time. Make the '
                            "prefixes or suffixes distinct, e.g. K24- and K25-.",
                            action=promotion.name,
                            pattern=promotion._pattern_label(),
                            prefix=self._mkt_field_label("prefix"),
                            suffix=self._mkt_field_label("suffix"),
                            other_pattern=other._pattern_label(),
                            other=other.name,
                        )
                    )

    def _overlaps_in_time(self, other):
        """Whether both actions can be valid on one day (no date = open-ended)."""
        return (
            not self.date_end
            or not other.date_start
            or other.date_start <= self.date_end
        ) and (
            not other.date_end
            or not self.date_start
            or self.date_start <= other.date_end
        )

    def _pattern_label(self):
        """The typed codes a pattern matches, e.g. "K24-…" or "WM…-F"."""
        return f"{self.prefix or ''}…{self.suffix or ''}"

    def _pattern_overlaps(self, other):
        prefix_a, prefix_b = self.prefix or "", other.prefix or ""
        suffix_a, suffix_b = self.suffix or "", other.suffix or ""
        prefixes_compatible = prefix_a.startswith(prefix_b) or prefix_b.startswith(
            prefix_a
        )
        suffixes_compatible = suffix_a.endswith(suffix_b) or suffix_b.endswith(suffix_a)
        return prefixes_compatible and suffixes_compatible

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("ad_cost", "circulation")
    def _compute_ad_cost_per_piece(self):
        for promotion in self:
            promotion.ad_cost_per_piece = (
                promotion.ad_cost / promotion.circulation
                if promotion.circulation
                else 0
            )

    def _inverse_ad_cost_per_piece(self):
        for promotion in self:
            promotion.ad_cost = promotion.ad_cost_per_piece * promotion.circulation

    def _compute_results(self):
        """Confirmed orders of each action: customers are commercial partners and
        revenue is in company currency, as in the control report and the scores."""
        self.env["sale.order"].flush_model([*ORDER_FIELDS, "mkt_promotion_id"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT so.mkt_promotion_id, count(*),
                       count(DISTINCT customer.commercial_partner_id),
                       sum(%(revenue)s)
                  FROM sale_order so
                  JOIN res_partner customer ON customer.id = so.partner_id
                 WHERE so.state = 'sale' AND so.mkt_promotion_id = ANY(%(ids)s)
                 GROUP BY so.mkt_promotion_id
                """,
                revenue=order_revenue("so"),
                ids=self.ids,
            )
        )
        results = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for promotion in self:
            count, customers, revenue = results.get(promotion.id, (0, 0, 0.0))
            promotion.order_count = count
            promotion.customer_count = customers
            promotion.revenue = revenue
            promotion.response_rate = (
                100.0 * customers / promotion.circulation
                if promotion.circulation
                else 0
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_codes(vals)
            self._check_code_free(
                vals.get("code"), vals.get("company_id") or self.env.company.id
            )
            # Before the products, whose conditions become items of it.
            vals["pricelist_id"] = self._create_pricelist(
                vals.get("code"),
                self.env["res.company"].browse(vals.get("company_id"))
                or self.env.company,
            ).id
        promotions = super().create(vals_list)
        for promotion in promotions:
            if not promotion.analytic_account_id:
                promotion.sudo().analytic_account_id = (
                    promotion._create_analytic_account()
                )
        promotions._sync_ad_cost_line()
        return promotions

    def write(self, vals):
        self._normalize_codes(vals)
        own_accounts = (
            self._own_analytic_accounts()
            if {"name", "code"} & set(vals) and "analytic_account_id" not in vals
            else {}
        )
        if "code" in vals or "company_id" in vals:
            for promotion in self:
                promotion._check_code_free(
                    vals.get("code", promotion.code),
                    vals.get("company_id", promotion.company_id.id),
                )
        result = super().write(vals)
        for promotion, account in own_accounts.items():
            account.sudo().write({"name": promotion.name, "code": promotion.code})
        if {"code", "date_start", "date_end"} & set(vals):
            self.line_ids._sync_pricelist_item()
            for promotion in self:
                promotion.pricelist_id.sudo().name = promotion._pricelist_name()
        if {"ad_cost", "analytic_account_id", "date_start", "name"} & set(vals):
            self._sync_ad_cost_line()
        return result

    @api.model
    def _normalize_codes(self, vals):
        for field_name in ("code", "prefix", "suffix"):
            if field_name in vals:
                vals[field_name] = normalize_code(vals[field_name])

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = self.env["sale.order"].search_count(
            [("mkt_promotion_id", "in", self.ids)], limit=1
        )
        if used:
            raise UserError(
                self.env._(
                    "Promotion actions with orders cannot be deleted: set them to Done."
                )
            )

    def unlink(self):
        pricelists = self.pricelist_id
        result = super().unlink()
        pricelists.unlink()
        return result

    @api.depends("name", "code")
    def _compute_display_name(self):
        for promotion in self:
            promotion.display_name = (
                f"[{promotion.code}] {promotion.name}"
                if promotion.code
                else promotion.name
            )

    @api.model
    def _search_display_name(self, operator, value):
        if operator in ("ilike", "=ilike", "like", "=") and value:
            return ["|", ("code", operator, value), ("name", operator, value)]
        return super()._search_display_name(operator, value)

    # ------------------------------------------------------------------
    # Analytic account, pricelist, advertising cost
    # ------------------------------------------------------------------

    def _marketing_plan(self):
        plan = self.env.ref("mkt_promotions.analytic_plan_marketing", False)
        if not plan:
            plan = (
                self.env["account.analytic.plan"].sudo().create({"name": "Marketing"})
            )
        return plan

    def _create_analytic_account(self):
        self.ensure_one()
        # Bookkeeping behind the action: marketing users need no accounting rights.
        return (
            self.env["account.analytic.account"]
            .sudo()
            .create(
                {
                    # The account's display name adds the code: "[K26] Autumn".
                    "name": self.name,
                    "code": self.code,
                    "plan_id": self._marketing_plan().id,
                    "company_id": self.company_id.id,
                }
            )
        )

    def _own_analytic_accounts(self):
        """The analytic accounts the actions created for themselves (still
        carrying the action's code), which follow the action's name and code; an
        account chosen by hand keeps its own."""
        return {
            promotion: promotion.analytic_account_id
            for promotion in self
            if promotion.analytic_account_id
            and promotion.analytic_account_id.sudo().code == promotion.code
        }

    def _pricelist_name(self, code=None):
        return self.env._("Promotion action %(code)s", code=code or self.code)

    @api.model
    def _create_pricelist(self, code, company):
        """The action's own pricelist: archived, so that it is never picked as a
        customer's pricelist; its items still price the action's products."""
        return (
            self.env["product.pricelist"]
            .sudo()
            .create(
                {
                    "name": self._pricelist_name(code),
                    "company_id": company.id,
                    "currency_id": company.currency_id.id,
                    "active": False,
                }
            )
        )

    def _sync_ad_cost_line(self):
        """Book the advertising cost as one analytic line on the action's account."""
        AnalyticLine = self.env["account.analytic.line"].sudo()
        lines = AnalyticLine.search([("mkt_promotion_id", "in", self.ids)])
        lines_by_promotion = {line.mkt_promotion_id: line for line in lines}
        to_create = []
        for promotion in self:
            line = lines_by_promotion.get(promotion)
            if not promotion.ad_cost or not promotion.analytic_account_id:
                if line:
                    line.unlink()
                continue
            values = {
                "name": self.env._(
                    "Advertising cost: %(action)s", action=promotion.name
                ),
                "amount": -promotion.ad_cost,
                "account_id": promotion.analytic_account_id.id,
                "date": promotion.date_start or fields.Date.context_today(self),
                "company_id": promotion.company_id.id,
                "mkt_promotion_id": promotion.id,
            }
            if line:
                line.write(values)
            else:
                to_create.append(values)
        AnalyticLine.create(to_create)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_start(self):
        self.write({"state": "running"})

    def action_done(self):
        self.write({"state": "done"})

    def action_reset_to_draft(self):
        self.write({"state": "draft"})

    def action_open_orders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Orders of %(action)s", action=self.display_name),
            "res_model": "sale.order",
            "view_mode": "list,form",
            "domain": [("mkt_promotion_id", "=", self.id)],
            "context": {"default_mkt_promotion_code": self.code},
        }

    def action_propose_planned_quantities(self):
        self.line_ids._propose_planned_qty()

    # ------------------------------------------------------------------
    # Code resolution and audience
    # ------------------------------------------------------------------

    @api.model
    def _match_code(self, code, company):
        """Actions of ``company`` the typed ``code`` designates, best first.

        One query whatever the number of actions: the exact code wins over
        prefix / suffix patterns, running actions over the others.
        """
        code = normalize_code(code)
        if not code:
            return self.browse()
        self.flush_model(["code", "prefix", "suffix", "company_id", "state"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id
                  FROM mkt_promotion
                 WHERE company_id = %(company)s
                   AND (code = %(code)s
                        OR ((prefix IS NOT NULL OR suffix IS NOT NULL)
                            AND length(%(code)s) >= length(coalesce(prefix, ''))
                                                    + length(coalesce(suffix, ''))
                            AND starts_with(%(code)s, coalesce(prefix, ''))
                            AND right(%(code)s, length(coalesce(suffix, '')))
                                = coalesce(suffix, '')))
                 ORDER BY code = %(code)s DESC, state = 'running' DESC,
                          date_start DESC NULLS LAST, id DESC
                """,
                code=code,
                company=company.id,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _resolve_code(self, code, partner, company, on_date):
        """The action ``code`` designates for ``partner`` on ``on_date``.

        Raises a ``UserError`` that says why the code cannot be used: unknown,
        not running yet, expired, or the customer is not in the audience.
        """
        candidates = self._match_code(code, company)
        if not candidates:
            raise UserError(
                self.env._(
                    'The promotion code "%(code)s" is unknown. Check the code printed '
                    "on the catalog, flyer or newsletter.",
                    code=normalize_code(code),
                )
            )
        valid = candidates.filtered(lambda p: p._is_valid_on(on_date))
        if not valid:
            raise UserError(candidates[0]._invalid_date_message(on_date))
        promotion = valid[0]
        reason = promotion._audience_refusal(partner)
        if reason:
            raise UserError(reason)
        return promotion

    def _is_valid_on(self, on_date):
        self.ensure_one()
        return (
            self.state == "running"
            and (not self.date_start or self.date_start <= on_date)
            and (not self.date_end or on_date <= self.date_end)
        )

    def _invalid_date_message(self, on_date):
        self.ensure_one()
        if self.date_end and self.date_end < on_date:
            return self.env._(
                'The promotion action "%(action)s" has expired (valid until %(end)s).',
                action=self.display_name,
                end=format_date(self.env, self.date_end),
            )
        if self.state == "done":
            return self.env._(
                'The promotion action "%(action)s" has ended.',
                action=self.display_name,
            )
        if self.date_start and on_date < self.date_start:
            return self.env._(
                'The promotion action "%(action)s" is not valid yet: it starts on '
                "%(start)s.",
                action=self.display_name,
                start=format_date(self.env, self.date_start),
            )
        return self.env._(
            'The promotion action "%(action)s" has not been started yet (it is a '
            "draft).",
            action=self.display_name,
        )

    def _audience_refusal(self, partner):
        """Why ``partner`` may not order under the action, or False."""
        self.ensure_one()
        customer = partner.commercial_partner_id
        if self.audience == "b2b" and not customer.is_company:
            return self.env._(
                '%(customer)s cannot use the promotion action "%(action)s": it is for '
                "business customers only.",
                customer=customer.display_name,
                action=self.display_name,
            )
        if self.audience == "b2c" and customer.is_company:
            return self.env._(
                '%(customer)s cannot use the promotion action "%(action)s": it is for '
                "private customers only.",
                customer=customer.display_name,
                action=self.display_name,
            )
        if self.class_ids:
            customer_class = customer.with_company(self.company_id).mkt_class_id
            if customer_class not in self.class_ids:
                return self.env._(
                    '%(customer)s cannot use the promotion action "%(action)s": it is '
                    "for the customer classes %(classes)s, and the customer's class is "
                    "%(class)s.",
                    customer=customer.display_name,
                    action=self.display_name,
                    classes=", ".join(self.class_ids.mapped("name")),
                    **{"class": customer_class.name or self.env._("none (not scored)")},
                )
        if self.segment_id:
            self.segment_id._flush_selection()
        if self.segment_id and not self.env["res.partner"].sudo().search_count(
            [("id", "=", customer.id), ("mkt_segment_id", "=", self.segment_id.id)],
            limit=1,
        ):
            return self.env._(
                '%(customer)s cannot use the promotion action "%(action)s": the '
                'customer is not in its segment "%(segment)s".',
                customer=customer.display_name,
                action=self.display_name,
                segment=self.segment_id.name,
            )
        return False

    # ------------------------------------------------------------------
    # Early bird
    # ------------------------------------------------------------------

    def _take_earlybird_place(self, limit):
        """Take one early-bird place if one is left; True when taken.

        The counter is updated in the action's row: a concurrent confirmation
        waits for this transaction and then fails to serialize (Odoo retries
        it), so the count stays exact under parallel confirmations.
        """
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                """
                UPDATE mkt_promotion
                   SET earlybird_granted = COALESCE(earlybird_granted, 0) + 1
                 WHERE id = %s AND COALESCE(earlybird_granted, 0) < %s
             RETURNING earlybird_granted
                """,
                self.id,
                limit,
            )
        )
        taken = bool(self.env.cr.fetchone())
        self.invalidate_recordset(["earlybird_granted"])
        return taken
