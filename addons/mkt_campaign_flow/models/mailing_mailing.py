from odoo import models


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    def _mkt_composer_values(self):
        """The composer of a campaign email step: the values mass mailing's
        ``_action_send_mail`` gives its own composer (mailing lists aside),
        so that campaign mails are the mailing's mails in every respect."""
        self.ensure_one()
        values = {
            "auto_delete": not self.keep_archives,
            # email mode: keep the original message for routing replies
            "auto_delete_keep_log": self.reply_to_mode == "update",
            "author_id": self.env.user.partner_id.id,
            "attachment_ids": [
                (4, attachment.id) for attachment in self.attachment_ids
            ],
            "body": self._prepend_preview(self.body_html or "", self.preview),
            "composition_mode": "mass_mail",
            "email_from": self.email_from,
            "mail_server_id": self.mail_server_id.id,
            "mass_mailing_id": self.id,
            "model": self.mailing_model_real,
            "record_name": False,
            "reply_to_force_new": self.reply_to_mode == "new",
            "subject": self.subject,
            "template_id": False,
        }
        if self.reply_to_mode == "new":
            values["reply_to"] = self.reply_to
        return values
