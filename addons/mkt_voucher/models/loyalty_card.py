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

    @api.model
    def _generate_code(self):
        """Unguessable codes for every program: cryptographic randomness, twelve
        characters, none that can be mistaken for another (core uses a slice of
        a UUID, hexadecimal and with 0/O-like digits)."""
        return generate_code()
