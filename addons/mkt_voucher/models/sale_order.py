"""Vouchers at order entry: segment eligibility, offer, throttling, redemption.

Everything goes through core's loyalty engine (``_try_apply_code``,
``_program_check_compute_points``, ``_apply_program_reward``); this layer adds
the segment condition, offers an eligible customer's personal code to the staff
entering the order, throttles guessing and makes redemption of single-use codes
safe against two orders confirmed at the same time.
"""

import hashlib
import logging
import threading
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import SQL

from ..tools.discount import format_percent

_logger = logging.getLogger(__name__)

# Wrong codes allowed per order or per session before entry pauses.
MAX_WRONG_CODES = 5
WRONG_CODE_PAUSE = timedelta(minutes=15)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    mkt_offered_card_ids = fields.Many2many(
        "loyalty.card",
        string="Offered Vouchers",
        compute="_compute_mkt_offered_card_ids",
        help="Personal voucher codes of this customer that apply to the order as "
        "it is now.",
    )
    mkt_offered_voucher_text = fields.Char(
        string="Offered Vouchers (Text)", compute="_compute_mkt_offered_card_ids"
    )

    @api.depends(
        "partner_id",
        "state",
        "order_line.price_subtotal",
        "order_line.coupon_id",
        "applied_coupon_ids",
    )
    def _compute_mkt_offered_card_ids(self):
        today = fields.Date.context_today(self)
        for order in self:
            order.mkt_offered_card_ids = False
            order.mkt_offered_voucher_text = False
            if order.state not in ("draft", "sent") or not order.partner_id:
                continue
            partner = order.partner_id
            cards = self.env["loyalty.card"].search(
                [
                    ("partner_id", "in", (partner | partner.commercial_partner_id).ids),
                    ("points", ">", 0),
                    ("program_id.mkt_segment_id", "!=", False),
                    "|",
                    ("expiration_date", "=", False),
                    ("expiration_date", ">=", today),
                ],
                order="id",
            )
            cards -= order.order_line.coupon_id | order.applied_coupon_ids
            # A code recorded with 0 % ("no discount" rule) offers nothing.
            cards = cards.filtered(
                lambda c: not c.mkt_discount_adaptive or c.mkt_discount_percent
            )
            programs = cards.program_id.filtered_domain(order._get_program_domain())
            if not programs:
                continue
            status = order._program_check_compute_points(programs)
            valid = cards.filtered(
                lambda card, status=status: "error"
                not in status.get(card.program_id, {"error": True})
            )
            order.mkt_offered_card_ids = valid
            order.mkt_offered_voucher_text = ", ".join(
                f"{card.program_id.name} ({card.code}"
                + (
                    f", {format_percent(self.env, card.mkt_discount_percent)})"
                    if card.mkt_discount_adaptive
                    else ")"
                )
                for card in valid
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_mkt_apply_offered_voucher(self):
        """Apply the customer's offered voucher in one click."""
        self.ensure_one()
        card = self.mkt_offered_card_ids[:1]
        if not card:
            raise UserError(
                self.env._(
                    "No voucher applies to %(order)s as it is now.",
                    order=self.display_name,
                )
            )
        status = self._try_apply_code(card.code)
        if "error" in status:
            raise UserError(status["error"])
        for coupon, rewards in status.items():
            reward = rewards.filtered(lambda r: not r.multi_product)[:1]
            if reward:
                self._apply_program_reward(reward, coupon)
        self._update_programs_and_rewards()
        return True

    def action_mkt_enclose_voucher(self):
        """Give the customer codes of a voucher with this order (a parcel insert)."""
        self.ensure_one()
        return self.env["mkt.voucher.print"]._open_for(None, order=self)

    # ------------------------------------------------------------------
    # Core loyalty engine
    # ------------------------------------------------------------------

    def _program_check_compute_points(self, programs):
        """A program of a segment applies only to the orders of its members."""
        result = super()._program_check_compute_points(programs)
        partner = self.partner_id
        for program in programs.filtered("mkt_segment_id"):
            if "error" in result.get(program, {}):
                continue
            if not program.sudo()._mkt_member_partners(partner):
                result[program] = {"error": self._mkt_not_member_message(program)}
        return result

    def _mkt_not_member_message(self, program):
        return self.env._(
            'The voucher "%(program)s" is reserved for the customers of the segment '
            '"%(segment)s": %(customer)s is not one of them.',
            program=program.name,
            segment=program.sudo().mkt_segment_id.name,
            customer=self.partner_id.display_name,
        )

    def _try_apply_code(self, code):
        """Core's code entry, with guessing throttled and personal codes kept to
        their customer; a code published in a channel marks the order's source."""
        self.ensure_one()
        self._mkt_check_code_throttle()
        card = self.env["loyalty.card"].sudo().search([("code", "=", code)], limit=1)
        if (
            card.partner_id
            and card.program_id.mkt_segment_id
            and card.partner_id.commercial_partner_id
            != self.partner_id.commercial_partner_id
        ):
            return {
                "error": self.env._(
                    "The voucher code %(code)s was issued to another customer: it "
                    "cannot be used on the order of %(customer)s.",
                    code=code,
                    customer=self.partner_id.display_name,
                )
            }
        if card.mkt_discount_adaptive and not card.mkt_discount_percent:
            return {
                "error": self.env._(
                    "The voucher code %(code)s carries no discount for its customer.",
                    code=code,
                )
            }
        result = super()._try_apply_code(code)
        if result.get("not_found"):
            self._mkt_record_wrong_code()
        elif "error" not in result and not self.source_id:
            rule = self.code_enabled_rule_ids.filtered(lambda r: r.code == code)
            source = rule.mkt_source_id or card.mkt_source_id
            if source:
                self.write({"source_id": source.id})
        return result

    def _get_reward_values_discount(self, reward, coupon, **kwargs):
        """A code with an adaptive discount gets the percentage recorded on it
        (what its customer was promised), not the reward's.

        Core reads the percentage and the description from the reward: they are
        replaced for this call only, so that caps, taxes and the rest of core's
        rules apply unchanged.
        """
        if not (
            coupon.mkt_discount_adaptive
            and reward.reward_type == "discount"
            and reward.discount_mode == "percent"
        ):
            return super()._get_reward_values_discount(reward, coupon, **kwargs)
        percent = coupon.mkt_discount_percent
        env = self.with_context(lang=self._get_lang()).env
        description = env._(
            "%(percent)s on your order (personal discount)",
            percent=format_percent(env, percent),
        )
        with reward._mkt_discount_for_this_call(percent, description):
            return super()._get_reward_values_discount(reward, coupon, **kwargs)

    def action_confirm(self):
        """Lock the codes the orders redeem before core spends their points.

        Two orders redeeming one single-use code at the same time: the second
        transaction waits here for the first, then fails (it cannot serialize
        with the committed change of the card) and is retried by the server;
        the retry finds the code spent and says so.
        """
        cards = (
            self.order_line.coupon_id
            | self.applied_coupon_ids
            | self.coupon_point_ids.coupon_id
        )
        if cards:
            self.env["loyalty.card"].flush_model(["points"])
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM loyalty_card WHERE id = ANY(%s) ORDER BY id "
                    "FOR NO KEY UPDATE",
                    cards.ids,
                )
            )
            cards.invalidate_recordset(["points"])
            for order in self:
                for card in order.order_line.coupon_id:
                    if order._get_real_points_for_coupon(card) < 0:
                        raise UserError(
                            self.env._(
                                "The voucher code %(code)s on %(order)s has already "
                                "been redeemed: remove its discount line before "
                                "confirming.",
                                code=card.code,
                                order=order.display_name,
                            )
                        )
        return super().action_confirm()

    # ------------------------------------------------------------------
    # Throttling of wrong codes
    # ------------------------------------------------------------------

    def _mkt_session_key(self):
        """Wrong codes are counted per browser session (hashed: the session id
        is a secret) or, outside a request, per user."""
        if request and request.session.sid:
            return hashlib.sha256(request.session.sid.encode()).hexdigest()[:32]
        return f"user-{self.env.uid}"

    def _mkt_check_code_throttle(self):
        since = fields.Datetime.now() - WRONG_CODE_PAUSE
        wrong_codes = (
            self.env["mkt.voucher.code.attempt"]
            .sudo()
            .search_count(
                [
                    ("create_date", ">=", since),
                    "|",
                    ("order_id", "=", self.id),
                    ("session_key", "=", self._mkt_session_key()),
                ]
            )
        )
        if wrong_codes >= MAX_WRONG_CODES:
            raise UserError(
                self.env._(
                    "Too many wrong voucher codes were entered for %(order)s. For "
                    "safety, codes can be entered again in %(minutes)s minutes.",
                    order=self.display_name,
                    minutes=int(WRONG_CODE_PAUSE.total_seconds() // 60),
                )
            )

    def _mkt_record_wrong_code(self):
        """Count a wrong code in its own transaction: the caller's is rolled back
        with the error message it shows (except in tests, which roll back
        everything anyway)."""
        values = {
            "order_id": self.id,
            "user_id": self.env.uid,
            "session_key": self._mkt_session_key(),
            "company_id": self.company_id.id,
        }
        testing = getattr(threading.current_thread(), "testing", False)
        if testing and not self.env.registry.in_test_mode():
            self.env["mkt.voucher.code.attempt"].sudo().create(values)
            return
        try:
            with self.env.registry.cursor() as cr:
                self.env(cr=cr, su=True)["mkt.voucher.code.attempt"].create(values)
        except psycopg2.Error:
            # e.g. an order not committed yet: the count is a safeguard only
            _logger.warning("Could not count a wrong voucher code on %s", self)
