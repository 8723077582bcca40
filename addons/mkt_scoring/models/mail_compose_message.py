from odoo import models

PLACEHOLDER = "mkt_recommendation_"
DISCOUNT_PLACEHOLDER = "mkt_recommendation_discount_html"


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _prepare_mail_values(self, res_ids):
        """Record which products the mails of a mailing recommend to whom."""
        values = super()._prepare_mail_values(res_ids)
        body = self.body or ""
        if (
            self.composition_mode == "mass_mail"
            and self.mass_mailing_id
            and PLACEHOLDER in body
        ):
            sent_ids = [
                res_id
                for res_id, mail_values in values.items()
                if mail_values.get("state") != "cancel"
            ]
            self.env["mkt.recommendation.mail"].sudo()._record_sent(
                self.mass_mailing_id,
                self.model,
                sent_ids,
                with_discount=DISCOUNT_PLACEHOLDER in body,
            )
        return values
