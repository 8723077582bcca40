from odoo import http
from odoo.http import request


class MktCampaignContact(http.Controller):
    """The contact form of a campaign: reached from the link in its emails,
    it knows the participant by the token in the link."""

    def _get_participant(self, token):
        if not token:
            return None
        participant = (
            request.env["mkt.campaign.participant"]
            .sudo()
            .search([("access_token", "=", token)], limit=1)
        )
        return participant or None

    @http.route(
        "/mkt/campaign/contact/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        website=False,
        sitemap=False,
    )
    def contact_form(self, token, **kwargs):
        participant = self._get_participant(token)
        if not participant:
            return request.not_found()
        return request.render(
            "mkt_campaign_flow.contact_form",
            {"participant": participant, "token": token},
        )

    @http.route(
        "/mkt/campaign/contact/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        website=False,
        sitemap=False,
    )
    def contact_submit(self, token, message="", phone="", **kwargs):
        participant = self._get_participant(token)
        if not participant:
            return request.not_found()
        participant._register_contact_form(message=message, phone=phone)
        return request.render(
            "mkt_campaign_flow.contact_thanks", {"participant": participant}
        )
