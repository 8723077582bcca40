"""Double opt-in newsletter sign-up with a welcome voucher.

``POST /mkt/newsletter/subscribe`` records a pending subscription and mails a
link with a signed, expiring token; following the link confirms it, subscribes
the address to the company's newsletter list and gives the welcome voucher.
The consent (when, where from, from which IP address) stays on the record and
is shown on the contact.
"""

import hashlib
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, consteq, email_normalize
from odoo.tools.misc import hmac

_logger = logging.getLogger(__name__)

TOKEN_SCOPE = "mkt_newsletter_confirm"
# Sign-ups accepted from one IP address per hour: the public form cannot be used
# to mail-bomb addresses (the answer stays the same, no mail goes out).
MAX_SIGNUPS_PER_IP_HOUR = 10
# Expired pending sign-ups are kept that long for the "link expired" page, then
# deleted: without consent there is no reason to keep an address.
EXPIRED_KEEP = timedelta(days=30)

CHANNELS = {
    "website": "mkt_voucher.utm_source_website",
    "newsletter": "utm.utm_source_newsletter",
    "print": "mkt_voucher.utm_source_print",
    "trade_fair": "mkt_voucher.utm_source_trade_fair",
    "other": "mkt_voucher.utm_source_other",
}


class MktNewsletterSubscription(models.Model):
    _name = "mkt.newsletter.subscription"
    _description = "Newsletter Subscription (Double Opt-in)"
    _order = "id desc"
    _rec_name = "email"
    _check_company_auto = True

    email = fields.Char(required=True, readonly=True)
    email_normalized = fields.Char(
        compute="_compute_email_normalized", store=True, index=True
    )
    state = fields.Selection(
        [("pending", "Pending"), ("confirmed", "Confirmed")],
        default="pending",
        required=True,
        readonly=True,
    )
    token = fields.Char(readonly=True, copy=False, groups="base.group_system")
    expires_at = fields.Datetime(string="Link Valid Until", readonly=True, copy=False)
    requested_at = fields.Datetime(
        string="Signed Up On", default=fields.Datetime.now, readonly=True
    )
    request_ip = fields.Char(string="Sign-up IP Address", readonly=True)
    confirmed_at = fields.Datetime(string="Consent Given On", readonly=True)
    confirm_ip = fields.Char(string="Consent IP Address", readonly=True)
    source_id = fields.Many2one(
        "utm.source",
        string="Channel",
        readonly=True,
        help="Where the sign-up came from (website, trade fair...).",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Contact", readonly=True, index="btree_not_null"
    )
    mailing_list_id = fields.Many2one("mailing.list", readonly=True)
    card_id = fields.Many2one(
        "loyalty.card", string="Welcome Voucher", readonly=True, copy=False
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "email_company_unique",
            "UNIQUE(email_normalized, company_id)",
            "An address can only be signed up once per company.",
        ),
    ]

    @api.depends("email")
    def _compute_email_normalized(self):
        for subscription in self:
            subscription.email_normalized = email_normalize(subscription.email)

    # ------------------------------------------------------------------
    # Sign-up
    # ------------------------------------------------------------------

    @api.model
    def _subscribe(self, email, channel=None, ip_address=None):
        """Record a sign-up and mail the confirmation link, at most once.

        Known or not, pending or confirmed, the caller learns nothing: this
        returns nothing, and a second sign-up neither duplicates the record nor
        mails again while the first link is valid. Returns False only for an
        address that is not an e-mail address at all.
        """
        email_normalized = email_normalize(email or "")
        if not email_normalized:
            return False
        now = fields.Datetime.now()
        source = self.env.ref(CHANNELS.get(channel, CHANNELS["website"]))
        recent = self.search_count(
            [
                ("request_ip", "=", ip_address),
                ("requested_at", ">=", now - timedelta(hours=1)),
            ]
        )
        if ip_address and recent >= MAX_SIGNUPS_PER_IP_HOUR:
            _logger.info("Newsletter sign-up from %s throttled", ip_address)
            return True
        # Two sign-ups of one address at the same time: the unique constraint
        # makes the second wait and fail; nothing is duplicated.
        self.env.cr.execute(
            SQL(
                """INSERT INTO mkt_newsletter_subscription
                       (email, email_normalized, state, requested_at, request_ip,
                        source_id, company_id, create_uid, write_uid,
                        create_date, write_date)
                   VALUES (%s, %s, 'pending', %s, %s, %s, %s, %s, %s, %s, %s)
                   ON CONFLICT (email_normalized, company_id) DO NOTHING
                   RETURNING id""",
                email.strip(),
                email_normalized,
                now,
                ip_address,
                source.id,
                self.env.company.id,
                self.env.uid,
                self.env.uid,
                now,
                now,
            )
        )
        row = self.env.cr.fetchone()
        if row:
            subscription = self.browse(row[0])
        else:
            subscription = self.search(
                [
                    ("email_normalized", "=", email_normalized),
                    ("company_id", "=", self.env.company.id),
                ]
            )
            if subscription.state == "confirmed" or (
                subscription.expires_at and subscription.expires_at > now
            ):
                return True
            # The first link expired: this is a new request.
            subscription.write(
                {"requested_at": now, "request_ip": ip_address, "source_id": source.id}
            )
        subscription._renew_token()
        subscription._send_template("mkt_voucher.mail_template_newsletter_confirm")
        return True

    def _renew_token(self):
        hours = self.company_id.mkt_optin_validity_hours or 48
        expires_at = fields.Datetime.now().replace(microsecond=0) + timedelta(
            hours=hours
        )
        expiry = int(expires_at.timestamp())
        self.write({"expires_at": expires_at})
        self.sudo().token = f"{self.id}-{expiry}-{self._sign(expiry)}"

    def _sign(self, expiry):
        message = f"{self.id}:{expiry}:{self.email_normalized}"
        return hmac(self.env(su=True), TOKEN_SCOPE, message, hashlib.sha256)

    def _get_confirm_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/mkt/newsletter/confirm/{self.sudo().token}"

    # ------------------------------------------------------------------
    # Confirmation
    # ------------------------------------------------------------------

    @api.model
    def _from_token(self, token):
        """The subscription of a confirmation link and what the link is worth:
        ``valid``, ``used`` (already confirmed), ``expired`` or ``invalid``.

        The signature is checked with the database secret and compared in
        constant time, so that neither a guessed nor a forged link leaks
        anything through the answer or its timing.
        """
        invalid = self.browse(), "invalid"
        try:
            record_id, expiry, signature = (token or "").split("-")
            record_id, expiry = int(record_id), int(expiry)
        except ValueError:
            return invalid
        subscription = self.browse(record_id).exists()
        if not subscription:
            return invalid
        if not (
            consteq(subscription._sign(expiry), signature)
            and consteq(subscription.sudo().token or "", token)
        ):
            return invalid
        if subscription.state == "confirmed":
            return subscription, "used"
        if fields.Datetime.now().timestamp() > expiry:
            return subscription, "expired"
        return subscription, "valid"

    def _confirm(self, ip_address=None):
        """Record the consent, subscribe the address, give the welcome voucher.
        Returns False when another request confirmed it first."""
        self.ensure_one()
        # Two clicks at once: the second waits here, then sees it confirmed.
        self.env.cr.execute(
            SQL(
                "SELECT state FROM mkt_newsletter_subscription WHERE id = %s "
                "FOR NO KEY UPDATE",
                self.id,
            )
        )
        if self.env.cr.fetchone()[0] == "confirmed":
            return False
        partner = self._find_or_create_partner()
        mailing_list = self.company_id.mkt_newsletter_list_id
        if mailing_list:
            self._subscribe_to_list(mailing_list, partner)
        values = {
            "state": "confirmed",
            "confirmed_at": fields.Datetime.now(),
            "confirm_ip": ip_address,
            "partner_id": partner.id,
            "mailing_list_id": mailing_list.id,
        }
        program = self.company_id.mkt_welcome_program_id
        if program:
            values["card_id"] = self._create_welcome_card(program, partner).id
        self.write(values)
        self._send_template("mkt_voucher.mail_template_newsletter_welcome")
        return True

    def _find_or_create_partner(self):
        partner = self.env["res.partner"].search(
            [("email_normalized", "=", self.email_normalized)], limit=1, order="id"
        )
        return partner or self.env["res.partner"].create(
            {"name": self.email_normalized, "email": self.email}
        )

    def _subscribe_to_list(self, mailing_list, partner):
        Contact = self.env["mailing.contact"]
        contact = Contact.search(
            [("email_normalized", "=", self.email_normalized)], limit=1, order="id"
        )
        if not contact:
            Contact.create(
                {
                    "name": partner.name,
                    "email": self.email,
                    "list_ids": [(4, mailing_list.id)],
                }
            )
            return
        subscription = contact.subscription_ids.filtered(
            lambda s: s.list_id == mailing_list
        )
        if subscription:
            subscription.opt_out = False
        else:
            contact.list_ids = [(4, mailing_list.id)]

    def _create_welcome_card(self, program, partner):
        return (
            self.env["loyalty.card"]
            .with_context(loyalty_no_mail=True)
            .create(
                {
                    "program_id": program.id,
                    "partner_id": partner.id,
                    "points": min(program.reward_ids.mapped("required_points") or [1]),
                    "expiration_date": program.date_to,
                    "mkt_source_id": self.source_id.id,
                }
            )
        )

    def _send_template(self, xmlid):
        template = self.env.ref(xmlid).sudo()
        for subscription in self:
            template.send_mail(subscription.id, force_send=False)

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_delete_expired(self):
        """Delete sign-ups never confirmed, a while after their link expired.
        Selected by state and date: safe to run twice or in parallel."""
        self.search(
            [
                ("state", "=", "pending"),
                ("expires_at", "<", fields.Datetime.now() - EXPIRED_KEEP),
            ]
        ).unlink()
