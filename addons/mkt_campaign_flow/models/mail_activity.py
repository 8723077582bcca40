from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    mkt_campaign_trace_id = fields.Many2one(
        "mkt.campaign.trace",
        string="Campaign Trace",
        index="btree_not_null",
        ondelete="set null",
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        """A campaign call marked done from the activity keeps its feedback
        as the call note on the campaign trace."""
        if not self.env.context.get("mkt_campaign_call_recorded"):
            for activity in self.filtered("mkt_campaign_trace_id"):
                trace = activity.mkt_campaign_trace_id.sudo()
                if not trace.call_note:
                    trace.call_note = feedback
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
