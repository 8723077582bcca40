from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _prepare_mail_values(self, res_ids):
        """Mails of a mailing with a voucher: issue the recipients' codes right
        before their mails are rendered.

        Every mass mail of a mailing goes through here: a newsletter sent by
        mass mailing (batch by batch) and the email step of a campaign, whose
        mailing carries the voucher. Codes go only to those who get the mail,
        only to those still in the voucher's segment, at the last moment, with
        their adaptive discount evaluated then.
        """
        program = self.mass_mailing_id.mkt_voucher_program_id
        if (
            program
            and self.composition_mode == "mass_mail"
            and self.model == "res.partner"
            and res_ids
        ):
            program.sudo()._mkt_issue_codes(
                self.env["res.partner"].browse(res_ids),
                self.env.ref("utm.utm_source_newsletter"),
                self.mass_mailing_id,
            )
        return super()._prepare_mail_values(res_ids)
