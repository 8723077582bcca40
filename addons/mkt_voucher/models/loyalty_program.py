"""Vouchers for the customers of a segment, sent with a newsletter.

A program restricted to a segment (``mkt_segment_id``) is only valid on the
orders of the segment's current members: the check is added to the one core
runs whenever an order's programs are evaluated, so nothing is stored per
customer. Sending it with a newsletter (or a campaign email step) issues one
single-use code per recipient when the mails are rendered (see
``mail.compose.message``), with the recipient's adaptive discount (see
``mkt.voucher.discount.rule``).
"""

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL, format_date


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    mkt_segment_id = fields.Many2one(
        "mkt.segment",
        string="Customer Segment",
        check_company=True,
        index="btree_not_null",
        help="Only the current members of this segment may use the program: it is "
        "offered on their orders and refused on anybody else's.",
    )
    mkt_mailing_ids = fields.One2many(
        "mailing.mailing", "mkt_voucher_program_id", string="Newsletters"
    )
    mkt_mailing_count = fields.Integer(
        string="Newsletter Count", compute="_compute_mkt_mailing_count"
    )
    mkt_previous_program_id = fields.Many2one(
        "loyalty.program",
        string="Run Again From",
        readonly=True,
        copy=False,
        help="The earlier run of this voucher that this one repeats.",
    )
    mkt_shared_rule_ids = fields.One2many(
        "loyalty.rule",
        "program_id",
        string="Shared Codes",
        domain=[("mode", "=", "with_code")],
        help="Codes without usage limit for print media, websites or trade fairs, "
        "each with the channel it is published in.",
    )

    mkt_discount_rule_ids = fields.One2many(
        "mkt.voucher.discount.rule",
        "program_id",
        string="Adaptive Discount",
        copy=True,
        help="The discount per customer, instead of the reward's: the first rule "
        "that matches the customer applies (drag the rows to order them); "
        "customers no rule matches get the reward's discount. Evaluated when a "
        "personal code is issued and kept on the code.",
    )

    @api.depends("mkt_mailing_ids")
    def _compute_mkt_mailing_count(self):
        counts = dict(
            self.env["mailing.mailing"]._read_group(
                [("mkt_voucher_program_id", "in", self.ids)],
                ["mkt_voucher_program_id"],
                ["__count"],
            )
        )
        for program in self:
            program.mkt_mailing_count = counts.get(program, 0)

    @api.constrains("mkt_discount_rule_ids", "reward_ids")
    def _check_mkt_discount_rules(self):
        for program in self.filtered("mkt_discount_rule_ids"):
            if not program._mkt_adaptive_rewards():
                raise ValidationError(
                    self.env._(
                        'Voucher "%(program)s": an adaptive discount replaces the '
                        "percentage of a reward; give the voucher a reward of "
                        'type "Discount" in percent.',
                        program=program.name,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_mkt_send_mailing(self):
        """Open a new newsletter to the segment that carries each recipient's code."""
        self.ensure_one()
        self._mkt_check_sendable()
        mailing = self.env["mailing.mailing"].create(self._mkt_prepare_mailing_values())
        return mailing._get_mkt_form_action()

    def action_mkt_open_mailings(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Newsletters"),
            "res_model": "mailing.mailing",
            "view_mode": "list,form",
            "domain": [("mkt_voucher_program_id", "=", self.id)],
            "context": {"default_mkt_voucher_program_id": self.id},
        }

    def action_mkt_run_again(self):
        """Run the voucher again: a copy with new dates, sent at once to whoever
        is in the segment now (a copy of the last newsletter, or a new one)."""
        self.ensure_one()
        self._mkt_check_sendable()
        program = self._mkt_copy_for_new_run()
        last_mailing = self.mkt_mailing_ids.sorted("id")[-1:]
        if last_mailing:
            mailing = last_mailing.copy(
                {
                    "mkt_voucher_program_id": program.id,
                    "mailing_domain": program._mkt_segment_domain(),
                    "subject": last_mailing.subject,
                }
            )
        else:
            mailing = self.env["mailing.mailing"].create(
                program._mkt_prepare_mailing_values()
            )
        mailing.action_launch()
        return {
            "type": "ir.actions.act_window",
            "res_model": "loyalty.program",
            "res_id": program.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_mkt_print_codes(self):
        self.ensure_one()
        return self.env["mkt.voucher.print"]._open_for(self)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _mkt_check_sendable(self):
        if not self.mkt_segment_id:
            raise UserError(
                self.env._(
                    'Voucher "%(program)s": choose a "%(field)s" first; the newsletter '
                    "goes to its members.",
                    program=self.name,
                    field=self._mkt_field_label("mkt_segment_id"),
                )
            )
        if self.program_type not in ("coupons", "promo_code", "promotion"):
            raise UserError(
                self.env._(
                    'Voucher "%(program)s": a program of type "%(type)s" cannot be '
                    "sent with a newsletter.",
                    program=self.name,
                    type=dict(
                        self._fields["program_type"]._description_selection(self.env)
                    )[self.program_type],
                )
            )

    def _mkt_segment_domain(self):
        return repr([("mkt_segment_id", "=", self.mkt_segment_id.id)])

    def _mkt_prepare_mailing_values(self):
        self.ensure_one()
        discount = Markup("")
        if self.mkt_discount_rule_ids:
            # The discount differs per recipient: the one recorded on their code.
            discount = Markup(
                '<p>%s <strong><t t-out="object.mkt_voucher_discount_text"/>'
                "</strong></p>"
            ) % self.env._("Your personal discount:")
        body = Markup(
            '<div><p>%s</p><t t-if="object.mkt_voucher_code"><p>%s <strong>'
            '<t t-out="object.mkt_voucher_code"/></strong></p>%s<p>%s</p></t></div>'
        ) % (
            self.env._("Dear customer,"),
            self.env._("your personal voucher code:"),
            discount,
            self.env._("Enter it with your next order or tell it to our staff."),
        )
        return {
            "subject": self.name,
            "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
            "mailing_domain": self._mkt_segment_domain(),
            "mkt_voucher_program_id": self.id,
            "body_arch": body,
            "body_html": body,
        }

    def _mkt_copy_for_new_run(self):
        """Copy with dates starting today and lasting as long as before; shared
        codes stay with the original (codes are unique), personal codes are
        issued anew when the newsletter goes out."""
        today = fields.Date.context_today(self)
        if self.date_from and self.date_to:
            date_to = today + (self.date_to - self.date_from)
        else:
            date_to = today + relativedelta(months=1)
        auto_rules = self.rule_ids.filtered(lambda rule: rule.mode == "auto")
        return self.copy(
            {
                "name": self.env._(
                    "%(name)s (from %(date)s)",
                    name=self.name,
                    date=format_date(self.env, today),
                ),
                "date_from": today,
                "date_to": date_to,
                "mkt_previous_program_id": self.id,
                "rule_ids": [
                    Command.create(values) for values in auto_rules.copy_data()
                ],
            }
        )

    def _mkt_member_partners(self, partners):
        """The partners among ``partners`` that may use the program: all of them
        without a segment, else the members (a contact counts as a member when
        its company is one)."""
        self.ensure_one()
        if not self.mkt_segment_id or not partners:
            return partners
        candidates = partners | partners.commercial_partner_id
        members = self.env["res.partner"].search(
            [
                ("id", "in", candidates.ids),
                ("mkt_segment_id", "=", self.mkt_segment_id.id),
            ]
        )
        return partners.filtered(
            lambda p: p in members or p.commercial_partner_id in members
        )

    def _mkt_adaptive_rewards(self):
        """The rewards whose percentage an adaptive discount replaces."""
        return self.reward_ids.filtered(
            lambda r: r.reward_type == "discount" and r.discount_mode == "percent"
        )

    def _mkt_evaluate_discounts(self, partners):
        """The adaptive discount of each of ``partners``: {partner id: (percent,
        rule)}, rule empty when none matched (the reward's percentage then).
        Set-based: the facts of all partners come from a fixed number of
        queries. Empty for a program without rules."""
        self.ensure_one()
        rules = self.mkt_discount_rule_ids.sorted(lambda r: (r.sequence, r.id))
        if not rules or not partners:
            return {}
        company = self.company_id or self.env.company
        facts = self.env["mkt.voucher.discount.rule"]._customer_facts(partners, company)
        fallback = max(self._mkt_adaptive_rewards().mapped("discount"), default=0.0)
        result = {}
        for partner in partners:
            rule = next((r for r in rules if r._matches(facts[partner.id])), rules[:0])
            result[partner.id] = (
                rule.discount_percent if rule else fallback,
                rule,
            )
        return result

    def _mkt_discount_values(self, percent, rule):
        """The values of a code that record its adaptive discount."""
        return {
            "mkt_discount_adaptive": True,
            "mkt_discount_percent": percent,
            "mkt_discount_rule_id": rule.id,
            "mkt_discount_reason": rule.condition_text
            if rule
            else self.env._("No rule matched: the reward's discount"),
        }

    def _mkt_lock_code_issuing(self):
        """Serialize the issuing of personal codes of this program.

        Two transactions issuing codes of one program at the same time (a
        newsletter and a campaign step, two workers) would both see that a
        customer has no code yet. Touching the program's row makes the second
        wait for the first, then fail to serialize once the first commits; the
        server or cron retries it, and the retry sees the codes of the first.
        """
        self.env.cr.execute(
            SQL(
                "UPDATE loyalty_program SET write_date = write_date WHERE id = %s",
                self.id,
            )
        )

    def _mkt_issue_codes(self, partners, source, mailing=None):
        """Give each member among ``partners`` one single-use code of the program
        (those who already hold an unused one keep it), with their adaptive
        discount recorded; members whose discount is 0 % get none. Returns the
        new cards."""
        self.ensure_one()
        members = self._mkt_member_partners(partners)
        if not members:
            return self.env["loyalty.card"]
        self._mkt_lock_code_issuing()
        holders = {
            partner
            for [partner] in self.env["loyalty.card"]._read_group(
                [
                    ("program_id", "=", self.id),
                    ("partner_id", "in", members.ids),
                    ("points", ">", 0),
                ],
                ["partner_id"],
            )
        }
        recipients = members.filtered(lambda p: p not in holders)
        discounts = self._mkt_evaluate_discounts(recipients)
        points = min(self.reward_ids.mapped("required_points") or [1])
        vals_list = []
        for partner in recipients:
            values = {
                "program_id": self.id,
                "partner_id": partner.id,
                "points": points,
                "expiration_date": self.date_to,
                "mkt_source_id": source.id,
                "mkt_mailing_id": mailing.id if mailing else False,
            }
            if partner.id in discounts:
                percent, rule = discounts[partner.id]
                if not percent:
                    continue  # a "no discount" rule: no voucher for them
                values.update(self._mkt_discount_values(percent, rule))
            vals_list.append(values)
        return (
            self.env["loyalty.card"]
            .with_context(loyalty_no_mail=True, tracking_disable=True)
            .create(vals_list)
        )
