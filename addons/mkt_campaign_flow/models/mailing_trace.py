from odoo import fields, models

# mailing.trace fields that tell a campaign what the recipient did.
RESPONSE_FIELDS = ("open_datetime", "links_click_datetime", "reply_datetime")


class MailingTrace(models.Model):
    _inherit = "mailing.trace"

    mkt_campaign_trace_id = fields.Many2one(
        "mkt.campaign.trace",
        string="Campaign Trace",
        index="btree_not_null",
        ondelete="set null",
    )

    def write(self, vals):
        result = super().write(vals)
        if any(vals.get(name) for name in RESPONSE_FIELDS):
            self.filtered("mkt_campaign_trace_id")._mkt_register_response()
        return result

    def _mkt_register_response(self):
        """Opens mark the campaign trace; clicks and replies are responses."""
        for trace in self.sudo():
            campaign_trace = trace.mkt_campaign_trace_id
            if trace.links_click_datetime or trace.reply_datetime:
                campaign_trace.participant_id._register_response(
                    "email",
                    traces=campaign_trace.filtered(
                        lambda t: t.response in (False, "opened")
                    ),
                )
            elif trace.open_datetime and not campaign_trace.response:
                campaign_trace.write(
                    {"response": "opened", "response_at": trace.open_datetime}
                )
