from odoo import api, fields, models
from odoo.exceptions import ValidationError


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    mkt_voucher_program_id = fields.Many2one(
        "loyalty.program",
        string="Voucher",
        index="btree_not_null",
        domain="[('program_type', 'in', ('coupons', 'promo_code', 'promotion'))]",
        help="Each recipient gets a personal single-use code of this voucher when "
        "the newsletter is sent; put the placeholder "
        '<t t-out="object.mkt_voucher_code"/> where the code goes.',
    )

    @api.constrains("mkt_voucher_program_id", "mailing_model_id")
    def _check_mkt_voucher_recipients(self):
        for mailing in self.filtered("mkt_voucher_program_id"):
            if mailing.mailing_model_real != "res.partner":
                raise ValidationError(
                    self.env._(
                        'Newsletter "%(mailing)s": a newsletter with the voucher '
                        '"%(program)s" must be sent to contacts (customers), as '
                        "each code is reserved for its recipient.",
                        mailing=mailing.subject,
                        program=mailing.mkt_voucher_program_id.name,
                    )
                )

    def _get_mass_mailing_context(self):
        """The program's codes are rendered with ``object.mkt_voucher_code``:
        tell res.partner which program it is."""
        context = super()._get_mass_mailing_context()
        if self.mkt_voucher_program_id:
            context["mkt_voucher_program_id"] = self.mkt_voucher_program_id.id
        return context

    def _get_mkt_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mailing.mailing",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
