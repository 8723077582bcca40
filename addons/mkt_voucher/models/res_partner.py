from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    mkt_voucher_code = fields.Char(
        string="Voucher Code",
        compute="_compute_mkt_voucher_code",
        help="In a newsletter with a voucher: the recipient's unused code of it.",
    )
    mkt_subscription_ids = fields.One2many(
        "mkt.newsletter.subscription",
        "partner_id",
        string="Newsletter Consents",
        groups="mkt_scoring.mkt_group_user,sales_team.group_sale_salesman",
    )

    @api.depends_context("mkt_voucher_program_id")
    def _compute_mkt_voucher_code(self):
        program_id = self.env.context.get("mkt_voucher_program_id")
        codes = {}
        if program_id:
            cards = (
                self.env["loyalty.card"]
                .sudo()
                .search(
                    [
                        ("program_id", "=", program_id),
                        ("partner_id", "in", self.ids),
                        ("points", ">", 0),
                    ],
                    order="id",
                )
            )
            codes = {card.partner_id.id: card.code for card in cards}
        for partner in self:
            partner.mkt_voucher_code = codes.get(partner.id, False)
