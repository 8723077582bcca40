from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

BENEFIT_TYPES = [
    ("order_discount", "Order discount"),
    ("free_shipping", "Free shipping"),
    ("shipping_price", "Special shipping cost"),
    ("shipping_flatrate", "Shipping flat rate"),
    ("payment_term", "Payment action"),
    ("gift", "Gift articles"),
    ("earlybird", "Early bird"),
    ("buy_n_pay_m", "Take N, pay M"),
    ("voucher", "Voucher"),
]

# Amounts that must not be negative, per benefit type.
NON_NEGATIVE = {
    "order_discount": ("discount_value", "min_order_value"),
    "free_shipping": ("min_order_value",),
    "shipping_price": ("shipping_price",),
    "shipping_flatrate": ("flatrate_price",),
    "payment_term": ("payment_days", "cash_discount_percent", "cash_discount_days"),
    "gift": (),
    "earlybird": (),
    "buy_n_pay_m": (),
    "voucher": ("voucher_points",),
}


class MktPromotionBenefit(models.Model):
    """One benefit of a promotion action; an action combines any number of them.

    Benefits become order lines (discount, gift, flat rate, take N pay M),
    order settings (payment term) or shipping prices (through the delivery
    method's rating), each naming the action that granted it.
    """

    _name = "mkt.promotion.benefit"
    _description = "Promotion Action Benefit"
    _order = "promotion_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    promotion_id = fields.Many2one(
        "mkt.promotion", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="promotion_id.company_id", store=True)
    currency_id = fields.Many2one(related="promotion_id.currency_id")
    benefit_type = fields.Selection(BENEFIT_TYPES, string="Benefit", required=True)
    earlybird_only = fields.Boolean(
        string="Early Birds Only",
        help="Only the first customers, as many as the action's early-bird benefit "
        "allows, receive this benefit.",
    )

    # Order discount, free shipping
    discount_mode = fields.Selection(
        [("percent", "Percentage"), ("fixed", "Fixed amount")],
        default="percent",
    )
    discount_value = fields.Float(string="Discount")
    min_order_value = fields.Monetary(
        string="Minimum Order Value",
        help="Value of the goods on the order, taxes included, from which the benefit "
        "applies (shipping and other benefits not counted).",
    )
    # Shipping
    shipping_price = fields.Monetary(string="Shipping Cost")
    flatrate_product_id = fields.Many2one(
        "product.product",
        string="Flat Rate Product",
        check_company=True,
        domain=[("mkt_flatrate_months", ">", 0)],
    )
    flatrate_price = fields.Monetary(string="Flat Rate Price")
    # Payment action
    payment_action = fields.Selection(
        [
            ("pause", "Payment pause"),
            ("deferral", "Payment deferral"),
            ("cash_discount", "Cash discount"),
        ],
        default="pause",
    )
    payment_days = fields.Integer(
        string="Days",
        help="Pause: days until the first instalment. Deferral: days added to the "
        "base payment term.",
    )
    instalments = fields.Integer(
        default=1, help="Payment pause: number of monthly instalments."
    )
    cash_discount_percent = fields.Float(string="Cash Discount (%)")
    cash_discount_days = fields.Integer(string="Cash Discount Days")
    base_payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Base Payment Term",
        check_company=True,
        help="Deferral and cash discount start from this payment term.",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        readonly=True,
        copy=False,
        help="The payment term set on orders of the action, made from the settings "
        "above.",
    )
    # Gifts
    gift_basis = fields.Selection(
        [
            ("order_value", "Order value"),
            ("line_count", "Number of order lines"),
            ("medium_value", "Value of the advertising medium"),
        ],
        default="order_value",
    )
    gift_all_tiers = fields.Boolean(
        string="All Reached Tiers",
        help="Give the gifts of every tier reached, not only of the best one.",
    )
    gift_tier_ids = fields.One2many(
        "mkt.promotion.gift.tier", "benefit_id", string="Gift Tiers", copy=True
    )
    # Early bird
    earlybird_limit = fields.Integer(
        string="Early-Bird Places",
        help="How many customers get the early-bird benefits.",
    )
    # Take N, pay M
    buy_quantity = fields.Integer(string="Take", default=3)
    pay_quantity = fields.Integer(string="Pay", default=2)
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        check_company=True,
        help="Units of these products count together; the cheapest are free.",
    )
    # Voucher
    loyalty_program_id = fields.Many2one(
        "loyalty.program", string="Voucher Program", check_company=True
    )
    voucher_points = fields.Float(
        string="Voucher Points",
        default=1.0,
        help="Points (or amount, for gift cards) loaded on the voucher.",
    )

    summary = fields.Char(compute="_compute_summary")

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    def _error(self, problem):
        return ValidationError(
            self.env._(
                'Promotion action "%(action)s", benefit "%(benefit)s": %(problem)s',
                action=self.promotion_id.display_name,
                benefit=dict(
                    self._fields["benefit_type"]._description_selection(self.env)
                )[self.benefit_type],
                problem=problem,
            )
        )

    @api.constrains(
        "benefit_type",
        "discount_mode",
        "discount_value",
        "min_order_value",
        "shipping_price",
        "flatrate_product_id",
        "flatrate_price",
        "payment_action",
        "payment_days",
        "instalments",
        "cash_discount_percent",
        "cash_discount_days",
        "earlybird_limit",
        "buy_quantity",
        "pay_quantity",
        "product_ids",
        "loyalty_program_id",
        "voucher_points",
        "gift_tier_ids",
    )
    def _check_settings(self):
        for benefit in self:
            for field_name in NON_NEGATIVE[benefit.benefit_type]:
                if benefit[field_name] < 0:
                    raise benefit._error(
                        self.env._(
                            '"%(field)s" cannot be negative (%(value)s).',
                            field=benefit._mkt_field_label(field_name),
                            value=benefit[field_name],
                        )
                    )
            check = getattr(benefit, f"_check_{benefit.benefit_type}", None)
            if check:
                check()

    def _check_order_discount(self):
        if self.discount_value <= 0:
            raise self._error(
                self.env._(
                    '"%(field)s" must be greater than 0.',
                    field=self._mkt_field_label("discount_value"),
                )
            )
        if self.discount_mode == "percent" and self.discount_value > 100:
            raise self._error(
                self.env._(
                    '"%(field)s" cannot exceed 100 %%.',
                    field=self._mkt_field_label("discount_value"),
                )
            )

    def _check_shipping_flatrate(self):
        if not self.flatrate_product_id.mkt_flatrate_months:
            raise self._error(
                self.env._(
                    '"%(field)s" must be a product sold as a shipping flat rate (with a '
                    "flat rate period in months).",
                    field=self._mkt_field_label("flatrate_product_id"),
                )
            )

    def _check_payment_term(self):
        if self.payment_action == "pause" and (
            self.payment_days <= 0 or self.instalments < 1
        ):
            raise self._error(
                self.env._(
                    'a payment pause needs "%(days)s" above 0 and at least one '
                    "instalment.",
                    days=self._mkt_field_label("payment_days"),
                )
            )
        if self.payment_action == "deferral" and self.payment_days <= 0:
            raise self._error(
                self.env._(
                    '"%(field)s" must be greater than 0.',
                    field=self._mkt_field_label("payment_days"),
                )
            )
        if self.payment_action == "cash_discount" and not (
            0 < self.cash_discount_percent < 100 and self.cash_discount_days > 0
        ):
            raise self._error(
                self.env._(
                    '"%(percent)s" must be between 0 and 100 and "%(days)s" above 0.',
                    percent=self._mkt_field_label("cash_discount_percent"),
                    days=self._mkt_field_label("cash_discount_days"),
                )
            )

    def _check_gift(self):
        self._check_gift_tiers()

    def _check_earlybird(self):
        if self.earlybird_limit < 1:
            raise self._error(
                self.env._(
                    '"%(field)s" must be at least 1.',
                    field=self._mkt_field_label("earlybird_limit"),
                )
            )

    def _check_buy_n_pay_m(self):
        if self.buy_quantity < 2 or not 0 <= self.pay_quantity < self.buy_quantity:
            raise self._error(
                self.env._(
                    '"%(pay)s" (%(m)s) must be lower than "%(take)s" (%(n)s), and at '
                    "least 2 must be taken.",
                    pay=self._mkt_field_label("pay_quantity"),
                    m=self.pay_quantity,
                    take=self._mkt_field_label("buy_quantity"),
                    n=self.buy_quantity,
                )
            )
        if not self.product_ids:
            raise self._error(
                self.env._(
                    '"%(field)s" cannot be empty.',
                    field=self._mkt_field_label("product_ids"),
                )
            )

    def _check_voucher(self):
        if not self.loyalty_program_id:
            raise self._error(
                self.env._(
                    '"%(field)s" is required.',
                    field=self._mkt_field_label("loyalty_program_id"),
                )
            )

    def _check_gift_tiers(self):
        tiers = self.gift_tier_ids.sorted(lambda tier: (tier.sequence, tier.id))
        if not tiers:
            raise self._error(self.env._("add at least one gift tier."))
        previous = None
        for tier in tiers:
            if tier.threshold < 0 or tier.quantity <= 0:
                raise self._error(
                    self.env._(
                        'tier "%(product)s": the threshold cannot be negative and the '
                        "quantity must be above 0.",
                        product=tier.product_id.display_name,
                    )
                )
            if previous is not None and tier.threshold <= previous.threshold:
                raise self._error(
                    self.env._(
                        'the tiers must increase: "%(product)s" from %(threshold)s '
                        'follows "%(previous)s" from %(previous_threshold)s.',
                        product=tier.product_id.display_name,
                        threshold=tier.threshold,
                        previous=previous.product_id.display_name,
                        previous_threshold=previous.threshold,
                    )
                )
            previous = tier

    @api.constrains("benefit_type", "promotion_id", "earlybird_only")
    def _check_one_earlybird(self):
        for promotion in self.promotion_id:
            earlybirds = promotion.benefit_ids.filtered(
                lambda b: b.benefit_type == "earlybird"
            )
            if len(earlybirds) > 1:
                raise ValidationError(
                    self.env._(
                        'Promotion action "%(action)s": only one early-bird benefit is '
                        "possible; its places apply to all early-bird benefits.",
                        action=promotion.display_name,
                    )
                )
            if not earlybirds and promotion.benefit_ids.filtered("earlybird_only"):
                raise ValidationError(
                    self.env._(
                        'Promotion action "%(action)s": benefits for early birds need '
                        "an early-bird benefit that says how many places there are.",
                        action=promotion.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends(
        "benefit_type",
        "discount_mode",
        "discount_value",
        "min_order_value",
        "shipping_price",
        "flatrate_product_id",
        "flatrate_price",
        "payment_term_id",
        "gift_tier_ids",
        "earlybird_limit",
        "buy_quantity",
        "pay_quantity",
        "loyalty_program_id",
        "earlybird_only",
    )
    @api.depends_context("lang")
    def _compute_summary(self):
        for benefit in self:
            benefit.summary = benefit._describe()

    def _describe(self):
        """What the benefit gives, in words (also the label of its order lines)."""
        self.ensure_one()
        kind = self.benefit_type
        currency = self.currency_id or self.env.company.currency_id
        minimum = (
            self.env._(" from %(amount)s", amount=currency.format(self.min_order_value))
            if self.min_order_value
            else ""
        )
        if kind == "order_discount":
            value = (
                f"{self.discount_value:g} %"
                if self.discount_mode == "percent"
                else currency.format(self.discount_value)
            )
            text = self.env._(
                "Order discount %(value)s%(minimum)s", value=value, minimum=minimum
            )
        elif kind == "free_shipping":
            text = self.env._("Free shipping%(minimum)s", minimum=minimum)
        elif kind == "shipping_price":
            text = self.env._(
                "Shipping cost %(amount)s", amount=currency.format(self.shipping_price)
            )
        elif kind == "shipping_flatrate":
            text = self.env._(
                "%(product)s for %(amount)s",
                product=self.flatrate_product_id.display_name
                or self.env._("Shipping flat rate"),
                amount=currency.format(self.flatrate_price),
            )
        elif kind == "payment_term":
            text = self.payment_term_id.name or self.env._("Payment action")
        elif kind == "gift":
            text = self.env._(
                "Gift: %(gifts)s",
                gifts=", ".join(self.gift_tier_ids.product_id.mapped("display_name")),
            )
        elif kind == "earlybird":
            text = self.env._(
                "Early bird: the first %(limit)s customers", limit=self.earlybird_limit
            )
        elif kind == "buy_n_pay_m":
            text = self.env._(
                "Take %(take)s, pay %(pay)s",
                take=self.buy_quantity,
                pay=self.pay_quantity,
            )
        elif kind == "voucher":
            text = self.env._(
                "Voucher: %(program)s", program=self.loyalty_program_id.name or ""
            )
        else:
            text = ""
        if self.earlybird_only:
            text = self.env._("%(benefit)s (early bird)", benefit=text)
        return text

    def _mkt_reached_tiers(self, order):
        """The gift tiers ``order`` reaches: the best one, or all reached."""
        self.ensure_one()
        if self.gift_basis == "order_value":
            measure = order._mkt_goods_value()
        elif self.gift_basis == "line_count":
            measure = len(order._mkt_goods_lines())
        else:
            measure = self.promotion_id.ad_cost_per_piece
        reached = self.gift_tier_ids.filtered(lambda tier: tier.threshold <= measure)
        if self.gift_all_tiers:
            return reached
        return reached.sorted("threshold")[-1:]

    # ------------------------------------------------------------------
    # CRUD: the payment term of payment actions
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        benefits = super().create(vals_list)
        benefits._sync_payment_term()
        return benefits

    def write(self, vals):
        result = super().write(vals)
        if {
            "benefit_type",
            "payment_action",
            "payment_days",
            "instalments",
            "cash_discount_percent",
            "cash_discount_days",
            "base_payment_term_id",
        } & set(vals):
            self._sync_payment_term()
        return result

    def _sync_payment_term(self):
        """Make each payment action's ``account.payment.term`` match its settings."""
        for benefit in self.filtered(lambda b: b.benefit_type == "payment_term"):
            values = benefit._payment_term_values()
            if benefit.payment_term_id:
                benefit.payment_term_id.sudo().write(
                    dict(values, line_ids=[Command.clear()] + values["line_ids"])
                )
            else:
                benefit.payment_term_id = (
                    self.env["account.payment.term"].sudo().create(values)
                )

    def _payment_term_values(self):
        self.ensure_one()
        base = self.base_payment_term_id or self.env.ref(
            "account.account_payment_term_30days", raise_if_not_found=False
        )
        base_lines = [
            (line.value, line.value_amount, line.nb_days) for line in base.line_ids
        ] or [("percent", 100.0, 0)]
        action = self.promotion_id.code
        if self.payment_action == "pause":
            share = round(100.0 / self.instalments, 2)
            lines = [
                ("percent", share, self.payment_days + 30 * index)
                for index in range(self.instalments - 1)
            ]
            lines.append(
                (
                    "percent",
                    100.0 - share * (self.instalments - 1),
                    self.payment_days + 30 * (self.instalments - 1),
                )
            )
            name = self.env._(
                "%(action)s: payment pause, first instalment after %(days)s days",
                action=action,
                days=self.payment_days,
            )
            if self.instalments > 1:
                name = self.env._(
                    "%(name)s, %(count)s monthly instalments",
                    name=name,
                    count=self.instalments,
                )
            discount = {"early_discount": False}
        elif self.payment_action == "deferral":
            lines = [
                (value, amount, days + self.payment_days)
                for value, amount, days in base_lines
            ]
            name = self.env._(
                "%(action)s: payment deferral, %(base)s plus %(days)s days",
                action=action,
                base=base.name or "",
                days=self.payment_days,
            )
            discount = {"early_discount": False}
        else:
            lines = base_lines
            name = self.env._(
                "%(action)s: %(percent)s %% cash discount within %(days)s days, "
                "%(base)s",
                action=action,
                percent=self.cash_discount_percent,
                days=self.cash_discount_days,
                base=base.name or "",
            )
            discount = {
                "early_discount": True,
                "discount_percentage": self.cash_discount_percent,
                "discount_days": self.cash_discount_days,
            }
        return {
            "name": name,
            "company_id": self.company_id.id,
            "line_ids": [
                Command.create(
                    {"value": value, "value_amount": amount, "nb_days": days}
                )
                for value, amount, days in lines
            ],
            **discount,
        }


class MktPromotionGiftTier(models.Model):
    """A gift tier: from ``threshold`` (order value, lines, medium value) on,
    the order gets ``quantity`` of ``product_id`` free."""

    _name = "mkt.promotion.gift.tier"
    _description = "Promotion Gift Tier"
    _order = "benefit_id, sequence, threshold, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    benefit_id = fields.Many2one(
        "mkt.promotion.benefit", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="benefit_id.company_id", store=True)
    threshold = fields.Float(
        required=True, help="From this order value, number of lines or medium value."
    )
    product_id = fields.Many2one("product.product", required=True, check_company=True)
    quantity = fields.Float(default=1.0, required=True)

    def _describe(self):
        """The label of the gift line: which tier the order reached."""
        self.ensure_one()
        basis = self.benefit_id.gift_basis
        if basis == "line_count":
            threshold = self.env._("%(count)s order lines", count=int(self.threshold))
        else:
            threshold = self.benefit_id.currency_id.format(self.threshold)
        if basis == "medium_value":
            return self.env._(
                "Gift for an advertising medium worth %(value)s", value=threshold
            )
        return self.env._("Gift from %(threshold)s", threshold=threshold)
