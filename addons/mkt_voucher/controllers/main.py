"""Public routes of the double opt-in: they answer the same whatever the address."""

from odoo import http
from odoo.http import request


class MktNewsletterController(http.Controller):
    # Sign-up forms live on other sites too (shop, trade fair tablets): no CSRF
    # token can be expected. The double opt-in is what protects the addresses.
    @http.route(
        "/mkt/newsletter/subscribe",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        sitemap=False,
    )
    def subscribe(self, email=None, channel=None, **kwargs):
        Subscription = request.env["mkt.newsletter.subscription"].sudo()
        accepted = Subscription._subscribe(
            email, channel=channel, ip_address=request.httprequest.remote_addr
        )
        if not accepted:
            return request.render(
                "mkt_voucher.newsletter_page",
                {"page": "invalid_email", "email": email or ""},
                status=400,
            )
        return request.render("mkt_voucher.newsletter_page", {"page": "check_inbox"})

    @http.route(
        "/mkt/newsletter/confirm/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def confirm(self, token, **kwargs):
        Subscription = request.env["mkt.newsletter.subscription"].sudo()
        subscription, status = Subscription._from_token(token)
        if status == "valid" and not subscription._confirm(
            ip_address=request.httprequest.remote_addr
        ):
            status = "used"
        http_status = {"valid": 200, "used": 200, "expired": 410, "invalid": 404}
        return request.render(
            "mkt_voucher.newsletter_page",
            {
                "page": {"valid": "confirmed"}.get(status, status),
                "card": subscription.card_id if status == "valid" else False,
            },
            status=http_status[status],
        )
