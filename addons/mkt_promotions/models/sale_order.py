from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .mkt_promotion import normalize_code

# Order fields whose change can change which benefits apply.
APPLY_TRIGGERS = {
    "mkt_promotion_code",
    "partner_id",
    "partner_shipping_id",
    "order_line",
    "date_order",
    "carrier_id",
}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    mkt_promotion_code = fields.Char(
        string="Promotion Code",
        copy=False,
        tracking=True,
        help="The code the customer quotes from the catalog, flyer, newsletter... "
        "The order gets the conditions of the promotion action it designates.",
    )
    mkt_promotion_id = fields.Many2one(
        "mkt.promotion",
        string="Promotion Action",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    mkt_earlybird = fields.Boolean(
        string="Early Bird",
        readonly=True,
        copy=False,
        help="The order took one of the action's early-bird places at confirmation.",
    )
    mkt_voucher_card_ids = fields.One2many(
        "loyalty.card",
        "mkt_promotion_order_id",
        string="Promotion Vouchers",
        readonly=True,
    )

    # ------------------------------------------------------------------
    # Form
    # ------------------------------------------------------------------

    @api.onchange("mkt_promotion_code", "partner_id")
    def _onchange_mkt_promotion_code(self):
        """Check the code as soon as it is typed: a bad code is refused with its
        reason and the previous code comes back, so that nothing changes."""
        if not self.mkt_promotion_code:
            self.mkt_promotion_id = False
            return None
        try:
            self.mkt_promotion_id = self._mkt_find_promotion()
            self.mkt_promotion_code = normalize_code(self.mkt_promotion_code)
        except UserError as error:
            self.mkt_promotion_code = self._origin.mkt_promotion_code
            self.mkt_promotion_id = self._origin.mkt_promotion_id
            return {
                "warning": {
                    "title": self.env._("Promotion code not applied"),
                    "message": error.args[0],
                }
            }
        return None

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "mkt_promotion_code" in vals:
                vals["mkt_promotion_code"] = normalize_code(vals["mkt_promotion_code"])
        orders = (
            super(SaleOrder, self.with_context(mkt_defer_promotion=True))
            .create(vals_list)
            .with_env(self.env)
        )
        coded = orders.filtered("mkt_promotion_code")
        if coded and not self.env.context.get("mkt_defer_promotion"):
            coded._mkt_resolve_promotion()
            coded._mkt_apply_promotion()
        return orders

    def write(self, vals):
        if self.env.context.get("mkt_defer_promotion") or not APPLY_TRIGGERS & set(
            vals
        ):
            return super().write(vals)
        if "mkt_promotion_code" in vals:
            vals = dict(
                vals, mkt_promotion_code=normalize_code(vals["mkt_promotion_code"])
            )
            locked = self.filtered(
                lambda o: o.state not in ("draft", "sent")
                and o.mkt_promotion_code != vals["mkt_promotion_code"]
            )
            if locked:
                raise UserError(
                    self.env._(
                        "The promotion code of the confirmed order %(order)s cannot be "
                        "changed.",
                        order=locked[0].name,
                    )
                )
        result = super(SaleOrder, self.with_context(mkt_defer_promotion=True)).write(
            vals
        )
        drafts = self.filtered(lambda o: o.state in ("draft", "sent"))
        if {"mkt_promotion_code", "partner_id", "date_order"} & set(vals):
            drafts._mkt_resolve_promotion()
            drafts._mkt_apply_promotion()
        else:
            drafts._mkt_follow_line_change({})
        return result

    def _get_copiable_order_lines(self):
        # A copy has no code (it must be typed again), so no benefit lines either.
        return (
            super()
            ._get_copiable_order_lines()
            .filtered(lambda line: not line.mkt_benefit_id)
        )

    def copy(self, default=None):
        copies = super().copy(default)
        # Without the code, the action's special prices go too.
        for order, copy in zip(self, copies, strict=True):
            copy._mkt_recompute_prices(order.mkt_promotion_id)
        return copies

    def _mkt_follow_line_change(self, context):
        if context.get("mkt_defer_promotion"):
            return
        self.filtered(
            lambda o: o.state in ("draft", "sent")
            and (o.mkt_promotion_id or o.order_line.mkt_benefit_id)
        )._mkt_apply_promotion()

    # ------------------------------------------------------------------
    # Code resolution
    # ------------------------------------------------------------------

    def _mkt_find_promotion(self, on_date=None):
        self.ensure_one()
        if not self.mkt_promotion_code:
            return self.env["mkt.promotion"]
        if not self.partner_id:
            raise UserError(
                self.env._("Choose the customer before entering a promotion code.")
            )
        return self.env["mkt.promotion"]._resolve_code(
            self.mkt_promotion_code,
            self.partner_id,
            self.company_id,
            on_date or fields.Date.context_today(self, self.date_order),
        )

    def _mkt_resolve_promotion(self, on_date=None):
        """Set each order's action from its code; a bad code raises its reason."""
        for order in self:
            promotion = order._mkt_find_promotion(on_date)
            if promotion != order.mkt_promotion_id:
                previous = order.mkt_promotion_id
                order.with_context(
                    mkt_defer_promotion=True
                ).mkt_promotion_id = promotion
                order._mkt_recompute_prices(previous | promotion)

    def _mkt_recompute_prices(self, promotions):
        """Reprice, the standard way, the lines whose price an action sets or set.

        Like "Update prices", but only for the products of ``promotions``, so
        that prices entered by hand on other lines stay.
        """
        products = promotions.line_ids.product_id
        lines = self._mkt_goods_lines().filtered(
            lambda line: line.product_id in products
        )
        if not lines:
            return
        lines = lines.with_context(mkt_defer_promotion=True)
        lines.invalidate_recordset(["pricelist_item_id"])
        lines.with_context(force_price_recomputation=True)._compute_price_unit()
        lines.discount = 0.0
        lines._compute_discount()

    # ------------------------------------------------------------------
    # Benefits
    # ------------------------------------------------------------------

    def _mkt_goods_lines(self):
        """Lines of goods: what the customer ordered, without shipping and benefits."""
        return self.order_line.filtered(
            lambda line: not line.display_type
            and not line.is_delivery
            and not line.mkt_benefit_id
            and line.product_id
        )

    def _mkt_goods_value(self):
        """Value of the goods, taxes included: the base of minimum order values."""
        return sum(self._mkt_goods_lines().mapped("price_total"))

    def _mkt_active_benefits(self):
        """The action's benefits that apply to this order right now.

        Early-bird benefits apply while places are left (and, once confirmed,
        only to orders that took a place).
        """
        self.ensure_one()
        promotion = self.mkt_promotion_id
        if not promotion:
            return self.env["mkt.promotion.benefit"]
        benefits = promotion.benefit_ids
        if not self._mkt_is_earlybird():
            benefits = benefits.filtered(lambda b: not b.earlybird_only)
        return benefits

    def _mkt_is_earlybird(self):
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            return self.mkt_earlybird
        earlybird = self.mkt_promotion_id.benefit_ids.filtered(
            lambda b: b.benefit_type == "earlybird"
        )[:1]
        return bool(earlybird) and (
            self.mkt_earlybird
            or (
                self.mkt_promotion_id.earlybird_granted < earlybird.earlybird_limit
                and not self._mkt_customer_has_earlybird()
            )
        )

    def _mkt_customer_has_earlybird(self):
        """Whether the customer already holds an early-bird place of the action."""
        self.ensure_one()
        return bool(
            self.search_count(
                [
                    ("mkt_promotion_id", "=", self.mkt_promotion_id.id),
                    ("mkt_earlybird", "=", True),
                    (
                        "partner_id",
                        "child_of",
                        self.partner_id.commercial_partner_id.id,
                    ),
                    ("id", "!=", self.id),
                ],
                limit=1,
            )
        )

    def _mkt_apply_promotion(self):
        """Bring benefit lines, payment term and shipping price in line with the action.

        Lines are matched by (benefit, product, taxes): unchanged ones are kept,
        so that recomputing an order does not churn its lines.
        """
        drafts = self.filtered(lambda o: o.state in ("draft", "sent"))
        Line = self.env["sale.order.line"].with_context(mkt_defer_promotion=True)
        to_create, to_unlink = [], Line
        for order in drafts:
            # Line labels in the customer's language, like Odoo's shipping lines.
            order = order.with_context(
                mkt_defer_promotion=True, lang=order.partner_id.lang or self.env.lang
            )
            benefits = order._mkt_active_benefits()
            wanted = {}
            for benefit in benefits:
                for values in order._mkt_benefit_line_values(benefit):
                    # Taxes tell discount lines apart; other lines get their
                    # product's taxes, so they are matched without.
                    taxes = values["tax_id"][0][2] if "tax_id" in values else None
                    key = (
                        benefit.id,
                        values.get("product_id") or False,
                        values.get("display_type") or False,
                        tuple(sorted(taxes)) if taxes is not None else None,
                    )
                    wanted[key] = values
            for line in order.order_line.filtered(
                lambda line: line.mkt_benefit_id and not line.is_delivery
            ):
                key = (
                    line.mkt_benefit_id.id,
                    line.product_id.id or False,
                    line.display_type or False,
                )
                values = wanted.pop(key + (tuple(sorted(line.tax_id.ids)),), None)
                if values is None:
                    values = wanted.pop(key + (None,), None)
                if values is None:
                    to_unlink |= line
                else:
                    changed = line._mkt_changed_values(values)
                    if changed:
                        line.write(changed)
            to_create += list(wanted.values())
            order._mkt_apply_payment_term(benefits)
        to_unlink.unlink()
        Line.create(to_create)
        drafts._mkt_update_delivery_price()
        drafts._mkt_apply_analytic_account()

    def _mkt_benefit_line_values(self, benefit):
        """Order lines a benefit adds (values for ``sale.order.line.create``)."""
        self.ensure_one()
        kind = benefit.benefit_type
        label = f"{self.mkt_promotion_id.code}: {benefit._describe()}"
        if kind == "order_discount":
            return self._mkt_order_discount_values(benefit, label)
        if kind == "buy_n_pay_m":
            return self._mkt_buy_n_pay_m_values(benefit, label)
        if kind == "gift":
            return [
                self._mkt_line_values(
                    benefit,
                    tier.product_id,
                    tier.quantity,
                    0.0,
                    f"{self.mkt_promotion_id.code}: {tier._describe()}",
                )
                for tier in benefit._mkt_reached_tiers(self)
            ]
        if kind == "shipping_flatrate":
            return [
                self._mkt_line_values(
                    benefit,
                    benefit.flatrate_product_id,
                    1,
                    benefit.flatrate_price,
                    label,
                )
            ]
        if kind == "voucher":
            return [
                {
                    "order_id": self.id,
                    "display_type": "line_note",
                    "name": self.env._(
                        "%(label)s: the voucher code is issued when the order is "
                        "confirmed.",
                        label=label,
                    ),
                    "mkt_benefit_id": benefit.id,
                    "product_id": False,
                    "sequence": 99999,
                }
            ]
        return []

    def _mkt_line_values(
        self, benefit, product, quantity, price_unit, label, taxes=None
    ):
        values = {
            "order_id": self.id,
            "product_id": product.id,
            "product_uom_qty": quantity,
            "price_unit": price_unit,
            "name": label,
            "mkt_benefit_id": benefit.id,
            "sequence": 99999,
        }
        if taxes is not None:
            values["tax_id"] = [Command.set(taxes.ids)]
        return values

    def _mkt_discount_product(self):
        return self.env.ref("mkt_promotions.product_promotion_discount").with_company(
            self.company_id
        )

    def _mkt_amounts_by_taxes(self, lines, amount_of_line):
        """Sum ``amount_of_line`` per set of taxes: a discount must carry the taxes
        of what it reduces, so that the tax of the order stays right."""
        amounts = defaultdict(float)
        for line in lines:
            amounts[line.tax_id] += amount_of_line(line)
        return amounts

    def _mkt_order_discount_values(self, benefit, label):
        goods = self._mkt_goods_lines()
        if not goods or self._mkt_goods_value() < benefit.min_order_value:
            return []
        # In the lines' own price convention (net, or gross for taxes included in
        # the price), so that the discount line uses the same taxes the same way.
        bases = self._mkt_amounts_by_taxes(
            goods,
            lambda line: line.price_unit
            * line.product_uom_qty
            * (1 - (line.discount or 0.0) / 100),
        )
        total = sum(bases.values())
        if not total:
            return []
        if benefit.discount_mode == "percent":
            share = benefit.discount_value / 100
        else:
            share = min(benefit.discount_value / self._mkt_goods_value(), 1.0)
        product = self._mkt_discount_product()
        return [
            self._mkt_line_values(
                benefit,
                product,
                1,
                -self.currency_id.round(base * share),
                self._mkt_label_with_taxes(label, taxes, bases),
                taxes=taxes,
            )
            for taxes, base in bases.items()
            if base
        ]

    def _mkt_label_with_taxes(self, label, taxes, bases):
        if len(bases) == 1 or not taxes:
            return label
        return f"{label} ({', '.join(taxes.mapped('name'))})"

    def _mkt_buy_n_pay_m_values(self, benefit, label):
        """Take N, pay M: per full N units of the products, the cheapest N - M free."""
        lines = self._mkt_goods_lines().filtered(
            lambda line: line.product_id in benefit.product_ids
        )
        units = []
        for line in lines:
            unit_price = line.price_unit * (1 - (line.discount or 0.0) / 100)
            units += [(unit_price, line)] * int(line.product_uom_qty)
        free_count = (
            len(units)
            // benefit.buy_quantity
            * (benefit.buy_quantity - benefit.pay_quantity)
        )
        if not free_count:
            return []
        free_units = sorted(units, key=lambda unit: unit[0])[:free_count]
        amounts = defaultdict(float)
        for unit_price, line in free_units:
            amounts[line.tax_id] += unit_price
        product = self._mkt_discount_product()
        return [
            self._mkt_line_values(
                benefit,
                product,
                1,
                -self.currency_id.round(amount),
                self._mkt_label_with_taxes(label, taxes, amounts),
                taxes=taxes,
            )
            for taxes, amount in amounts.items()
        ]

    def _mkt_apply_payment_term(self, benefits):
        """Set the payment action's term; give the customer's own term back when
        the action that set one no longer applies."""
        self.ensure_one()
        term = self.payment_term_id
        granted = benefits.filtered(lambda b: b.benefit_type == "payment_term")[
            :1
        ].payment_term_id
        if granted:
            wanted = granted
        elif term and self.env["mkt.promotion.benefit"].search_count(
            [("payment_term_id", "=", term.id)], limit=1
        ):
            wanted = self.partner_id.property_payment_term_id
        else:
            wanted = term
        if wanted != term:
            self.write({"payment_term_id": wanted.id})

    def _mkt_shipping_price(self, price):
        """The shipping price after the action's shipping benefits, and the benefit.

        Used by the delivery methods' rating, so that free or special shipping
        works wherever a delivery method is priced.
        """
        self.ensure_one()
        best, best_price = self.env["mkt.promotion.benefit"], price
        for benefit in self._mkt_active_benefits():
            if benefit.benefit_type == "free_shipping":
                candidate = (
                    0.0 if self._mkt_goods_value() >= benefit.min_order_value else None
                )
            elif benefit.benefit_type == "shipping_price":
                candidate = benefit.shipping_price
            else:
                candidate = None
            if candidate is not None and candidate <= best_price:
                best, best_price = benefit, candidate
        return best_price, best

    def _mkt_update_delivery_price(self):
        """Re-rate shipping lines so that they follow the action."""
        for order in self:
            line = order.order_line.filtered("is_delivery")[:1]
            if not line or not order.carrier_id or line.qty_invoiced:
                continue
            if not (order.mkt_promotion_id or line.mkt_benefit_id):
                continue
            rate = order.carrier_id.rate_shipment(order)
            if not rate or not rate.get("success"):
                continue
            values = {
                "price_unit": rate["price"],
                "technical_price_unit": rate["price"],
                "mkt_benefit_id": rate.get("mkt_benefit_id", False),
            }
            benefit = self.env["mkt.promotion.benefit"].browse(values["mkt_benefit_id"])
            carrier_name = order.carrier_id.with_context(
                lang=order.partner_id.lang
            ).name
            values["name"] = (
                f"{carrier_name}\n{order.mkt_promotion_id.code}: {benefit._describe()}"
                if benefit
                else carrier_name
            )
            changed = line._mkt_changed_values(values)
            if changed:
                line.with_context(mkt_defer_promotion=True).write(changed)

    def _mkt_apply_analytic_account(self):
        """Revenue of an action's orders goes to the action's analytic account."""
        for order in self:
            account = order.mkt_promotion_id.analytic_account_id
            if not account:
                continue
            distribution = {str(account.id): 100}
            lines = order.order_line.filtered(
                lambda line: not line.display_type and not line.analytic_distribution
            )
            if lines:
                lines.with_context(
                    mkt_defer_promotion=True
                ).analytic_distribution = distribution

    # ------------------------------------------------------------------
    # Confirmation
    # ------------------------------------------------------------------

    def action_confirm(self):
        promoted = self.filtered("mkt_promotion_id")
        # The action must still be valid today, and early-bird places are taken
        # (or not) now, before the order's lines are final.
        promoted._mkt_resolve_promotion(on_date=fields.Date.context_today(self))
        promoted._mkt_claim_earlybird_places()
        promoted._mkt_apply_promotion()
        result = super().action_confirm()
        promoted._mkt_issue_vouchers()
        self._mkt_start_flatrates()
        return result

    def _mkt_claim_earlybird_places(self):
        for order in self:
            earlybird = order.mkt_promotion_id.benefit_ids.filtered(
                lambda b: b.benefit_type == "earlybird"
            )[:1]
            if not earlybird or order.mkt_earlybird:
                continue
            taken = not order._mkt_customer_has_earlybird() and (
                order.mkt_promotion_id._take_earlybird_place(earlybird.earlybird_limit)
            )
            order.with_context(mkt_defer_promotion=True).mkt_earlybird = taken
            if not taken and order.mkt_promotion_id.benefit_ids.filtered(
                "earlybird_only"
            ):
                order.message_post(
                    body=self.env._(
                        "The early-bird places of the promotion action %(action)s are "
                        "taken: the early-bird benefits were removed from this order.",
                        action=order.mkt_promotion_id.display_name,
                    )
                )

    def _mkt_issue_vouchers(self):
        cards = []
        for order in self:
            for benefit in order._mkt_active_benefits().filtered(
                lambda b: b.benefit_type == "voucher"
            ):
                cards.append(
                    {
                        "program_id": benefit.loyalty_program_id.id,
                        "partner_id": order.partner_id.id,
                        "points": benefit.voucher_points,
                        "mkt_promotion_order_id": order.id,
                    }
                )
        created = self.env["loyalty.card"].sudo().create(cards)
        for card in created:
            card.mkt_promotion_order_id.message_post(
                body=self.env._(
                    "Voucher %(code)s (%(program)s) issued by the promotion action "
                    "%(action)s.",
                    code=card.code,
                    program=card.program_id.name,
                    action=card.mkt_promotion_order_id.mkt_promotion_id.display_name,
                )
            )

    def _mkt_start_flatrates(self):
        """A confirmed shipping flat rate starts running for the customer."""
        values = []
        for order in self:
            for line in order.order_line.filtered(
                lambda line: line.product_id.mkt_flatrate_months
                and not line.display_type
            ):
                values.append(
                    self.env["mkt.shipping.flatrate"]._values_for_order_line(line)
                )
        self.env["mkt.shipping.flatrate"].sudo().create(values)
