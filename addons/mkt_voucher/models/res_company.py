from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    mkt_newsletter_list_id = fields.Many2one(
        "mailing.list",
        string="Newsletter List",
        help="Confirmed newsletter sign-ups are subscribed to this list.",
    )
    mkt_welcome_program_id = fields.Many2one(
        "loyalty.program",
        string="Welcome Voucher",
        check_company=True,
        domain="[('program_type', '=', 'coupons')]",
        help="Each confirmed newsletter sign-up receives a code of this voucher.",
    )
    mkt_optin_validity_hours = fields.Integer(
        string="Confirmation Link Validity (hours)",
        default=48,
    )
