from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _prepare_mail_values_mailing_traces(self, mail_values_all):
        """Link each mailing trace to the campaign trace that sent it."""
        trace_values_all = super()._prepare_mail_values_mailing_traces(mail_values_all)
        campaign_traces = self.env.context.get("mkt_campaign_trace_by_res_id")
        if campaign_traces:
            for res_id, trace_values in trace_values_all.items():
                if trace_values and res_id in campaign_traces:
                    trace_values["mkt_campaign_trace_id"] = campaign_traces[res_id]
        return trace_values_all
