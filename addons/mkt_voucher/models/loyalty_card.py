from collections import defaultdict

from odoo import api, fields, models

from ..tools.codes import generate_code


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    mkt_source_id = fields.Many2one(
        "utm.source",
        string="Channel",
        index="btree_not_null",
        default=lambda self: self.env.context.get("mkt_voucher_source_id"),
        help="Where the code went: newsletter, print, trade fair, website...",
    )
    mkt_mailing_id = fields.Many2one(
        "mailing.mailing",
        string="Sent With",
        index="btree_not_null",
        readonly=True,
        help="The newsletter that sent this code to its recipient.",
    )
    # The adaptive discount promised with the code, kept whatever happens to
    # the customer's class or to the program's rules afterwards.
    mkt_discount_adaptive = fields.Boolean(
        string="Adaptive Discount",
        readonly=True,
        copy=False,
        help="The discount of this code was evaluated for its customer when it "
        "was issued and replaces the percentage of the voucher's reward.",
    )
    mkt_discount_percent = fields.Float(
        string="Personal Discount (%)",
        digits=(16, 2),
        readonly=True,
        copy=False,
    )
    mkt_discount_rule_id = fields.Many2one(
        "mkt.voucher.discount.rule",
        string="Discount Rule",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The rule of the voucher's adaptive discount that the customer matched "
        "when the code was issued (empty: no rule matched).",
    )
    mkt_discount_reason = fields.Char(
        string="Discount Reason",
        readonly=True,
        copy=False,
        help="Why the customer got this discount, as the rule read when the code "
        "was issued.",
    )

    @api.model
    def _generate_code(self):
        """Unguessable codes for every program: cryptographic randomness, twelve
        characters, none that can be mistaken for another (core uses a slice of
        a UUID, hexadecimal and with 0/O-like digits)."""
        return generate_code()

    @api.model_create_multi
    def create(self, vals_list):
        """Codes issued to a customer of a program with an adaptive discount
        record the customer's discount, whatever created them (newsletter,
        campaign, core's code generator, a code enclosed with an order)."""
        to_evaluate = defaultdict(list)
        for vals in vals_list:
            if (
                vals.get("partner_id")
                and vals.get("program_id")
                and "mkt_discount_adaptive" not in vals
            ):
                to_evaluate[vals["program_id"]].append(vals)
        for program_id, program_vals in to_evaluate.items():
            program = self.env["loyalty.program"].browse(program_id).sudo()
            if not program.mkt_discount_rule_ids:
                continue
            partners = self.env["res.partner"].browse(
                {vals["partner_id"] for vals in program_vals}
            )
            discounts = program._mkt_evaluate_discounts(partners)
            for vals in program_vals:
                vals.update(
                    program._mkt_discount_values(*discounts[vals["partner_id"]])
                )
        return super().create(vals_list)
