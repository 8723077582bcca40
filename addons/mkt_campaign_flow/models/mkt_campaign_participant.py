"""A partner's journey through one campaign: where it is, whether it answered.

Participants are inserted in bulk by ``mkt.campaign._enter_partners``; the
reference printed on letters (``barcode``) and the token of the contact form
(``access_token``) are written by that statement too.
"""

import base64
import io

import barcode
from barcode.writer import SVGWriter

from odoo import api, fields, models
from odoo.exceptions import UserError

RESPONSE_SOURCES = [
    ("email", "Email click or reply"),
    ("order", "Order"),
    ("form", "Contact form"),
    ("call", "Phone call"),
    ("letter", "Letter reply"),
]


class MktCampaignParticipant(models.Model):
    _name = "mkt.campaign.participant"
    _description = "Campaign Participant"
    _order = "id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    campaign_id = fields.Many2one(
        "mkt.campaign", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True)
    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", index=True
    )
    email = fields.Char(related="partner_id.email")
    phone = fields.Char(related="partner_id.phone")
    lead_id = fields.Many2one("crm.lead", ondelete="set null", index="btree_not_null")
    state = fields.Selection(
        [
            ("running", "Running"),
            ("completed", "Completed"),
            ("canceled", "Canceled"),
        ],
        default="running",
        required=True,
        index=True,
    )
    current_activity_id = fields.Many2one(
        "mkt.campaign.activity",
        string="Current Step",
        ondelete="set null",
        group_expand="_read_group_current_activity",
    )
    responded = fields.Boolean(index=True)
    responded_at = fields.Datetime(string="Responded On")
    response_source = fields.Selection(RESPONSE_SOURCES, string="First Response")
    interest_confirmed = fields.Boolean(
        help="The contact asked for the offer (contact form) or said so on the phone."
    )
    barcode = fields.Char(
        string="Reference",
        readonly=True,
        copy=False,
        help="Printed as a barcode on the letters; scanning it registers a reply.",
    )
    access_token = fields.Char(readonly=True, copy=False, groups="base.group_user")
    is_test = fields.Boolean(string="Test", readonly=True)
    trace_ids = fields.One2many("mkt.campaign.trace", "participant_id")
    contact_url = fields.Char(
        string="Contact Form Link", compute="_compute_contact_url"
    )

    _sql_constraints = [
        (
            "campaign_partner_unique",
            "UNIQUE (campaign_id, partner_id)",
            "A contact takes part in a campaign once.",
        ),
        ("barcode_unique", "UNIQUE (barcode)", "The reference must be unique."),
    ]

    @api.model
    def _read_group_current_activity(self, activities, domain):
        campaign_id = self.env.context.get("default_campaign_id")
        if campaign_id:
            return self.env["mkt.campaign.activity"].search(
                [("campaign_id", "=", campaign_id)]
            )
        return activities

    def _compute_contact_url(self):
        for participant in self:
            participant.contact_url = (
                f"{participant.get_base_url()}/mkt/campaign/contact/"
                f"{participant.sudo().access_token}"
                if participant.sudo().access_token
                else False
            )

    # ------------------------------------------------------------------
    # Responses
    # ------------------------------------------------------------------

    @api.model
    def _register_response_by_barcode(self, code):
        """Register the reply to a letter from the reference scanned or typed.

        :return: ``(status, participant)`` with status ``unknown`` (no such
          reference), ``registered`` or ``already`` (answered before: a second
          scan changes nothing)
        """
        code = (code or "").strip().upper()
        participant = self.search([("barcode", "=", code)], limit=1) if code else None
        if not participant:
            return "unknown", self.browse()
        letter_trace = participant.trace_ids.filtered(
            lambda t: t.activity_id.activity_type == "letter" and t.state == "processed"
        )[:1]
        if letter_trace.response == "letter" or (
            participant.response_source == "letter"
        ):
            return "already", participant
        participant._register_response("letter", traces=letter_trace)
        return "registered", participant

    def _register_response(self, source, traces=None, interest=False):
        """Mark the participants as responded (the first response is kept)
        and the traces with what answered; then check the campaign goals."""
        now = fields.Datetime.now()
        first = self.filtered(lambda p: not p.responded)
        if first:
            first.write(
                {"responded": True, "responded_at": now, "response_source": source}
            )
        if interest:
            self.filtered(lambda p: not p.interest_confirmed).interest_confirmed = True
        if traces:
            # An open is no response: a later click or reply becomes the
            # trace's response.
            traces.filtered(lambda t: t.response in (False, "opened")).write(
                {"response": source, "response_at": now}
            )
        self._check_opportunity_goal()

    def _check_opportunity_goal(self):
        """Leads of participants who met the campaign goal become opportunities."""
        for participant in self.filtered(
            lambda p: p.lead_id.active and p.lead_id.type == "lead"
        ):
            goal = participant.campaign_id.opportunity_goal
            if (goal == "responded" and participant.responded) or (
                goal == "interest" and participant.interest_confirmed
            ):
                lead = participant.lead_id.sudo()
                lead.convert_opportunity(lead.partner_id)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_next_step_now(self):
        """Test mode: run the participant's next scheduled step right away."""
        for participant in self:
            trace = participant.trace_ids.filtered(
                lambda t: t.state == "scheduled"
            ).sorted("scheduled_at")[:1]
            if not trace:
                raise UserError(
                    self.env._(
                        'Participant "%(participant)s" has no step left to run.',
                        participant=participant.partner_id.display_name,
                    )
                )
            trace._process_traces()
        return True

    def action_print_letter(self):
        return self.env.ref(
            "mkt_campaign_flow.mkt_campaign_letter_report"
        ).report_action(self)

    # ------------------------------------------------------------------
    # Letters
    # ------------------------------------------------------------------

    @api.model
    def _barcode_svg(self, value):
        """``value`` as a Code 128 barcode: an SVG image as a data URI."""
        stream = io.BytesIO()
        barcode.get("code128", value, writer=SVGWriter()).write(
            stream,
            options={
                "module_width": 0.33,
                "module_height": 12.0,
                "quiet_zone": 4.0,
                "font_size": 8,
                "text_distance": 4.0,
            },
        )
        return (
            "data:image/svg+xml;base64," + base64.b64encode(stream.getvalue()).decode()
        )

    def _update_completed(self):
        """Participants with no step left to run have completed the campaign."""
        if not self:
            return
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE mkt_campaign_participant p SET state = 'completed'
                WHERE id = ANY(%s) AND state = 'running' AND NOT EXISTS (
                    SELECT 1 FROM mkt_campaign_trace t
                     WHERE t.participant_id = p.id AND t.state = 'scheduled')""",
            [self.ids],
        )
        self.invalidate_recordset(["state"])

    def _register_contact_form(self, message="", phone=""):
        """The participant filled in the contact form: a lead (or a note on the
        existing one) and a response with interest."""
        self.ensure_one()
        campaign = self.campaign_id
        message = (message or "").strip()[:5000]
        phone = (phone or "").strip()[:64]
        if self.lead_id:
            self.lead_id.message_post(
                body=message or self.env._("Contact form sent."),
                subtype_xmlid="mail.mt_note",
            )
        else:
            self.lead_id = self.env["crm.lead"].create(
                {
                    "name": self.env._(
                        "%(campaign)s: contact form of %(partner)s",
                        campaign=campaign.name,
                        partner=self.partner_id.name,
                    ),
                    "type": "lead",
                    "partner_id": self.partner_id.id,
                    "phone": phone or self.partner_id.phone,
                    "description": message,
                    "team_id": campaign.team_id.id,
                    "user_id": (self.partner_id.user_id or campaign.user_id).id,
                    "campaign_id": campaign.utm_campaign_id.id,
                    "company_id": campaign.company_id.id,
                    "mkt_participant_id": self.id,
                }
            )
        traces = self.trace_ids.filtered(
            lambda t: t.state == "processed" and t.activity_type == "email"
        )
        self._register_response("form", traces=traces[:1], interest=True)
