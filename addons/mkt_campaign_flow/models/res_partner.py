from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    mkt_campaign_opt_out = fields.Boolean(
        string="No Marketing Campaigns",
        help="The contact asked not to be contacted by campaigns: never enters one.",
    )
    mkt_campaign_contact_url = fields.Char(
        string="Campaign Contact Form",
        compute="_compute_mkt_campaign_contact_url",
        help="In campaign emails: the link to the contact form of the contact's "
        "participation in the campaign being sent.",
    )

    @api.depends_context("mkt_campaign_id")
    def _compute_mkt_campaign_contact_url(self):
        campaign_id = self.env.context.get("mkt_campaign_id")
        urls = {}
        if campaign_id:
            participants = (
                self.env["mkt.campaign.participant"]
                .sudo()
                .search(
                    [
                        ("campaign_id", "=", campaign_id),
                        ("partner_id", "in", self.ids),
                    ]
                )
            )
            urls = {p.partner_id.id: p.contact_url for p in participants}
        for partner in self:
            partner.mkt_campaign_contact_url = urls.get(partner.id, False)
