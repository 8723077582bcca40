"""Campaign steps: a tree of channels (email, SMS, letter, phone, wait, lead,
server action), each run for a batch of participants by Odoo's own engine:
mass mailing for emails, ``sms.sms`` for SMS, a QWeb PDF report for letters,
``mail.activity`` for calls, ``crm.lead`` for leads, ``ir.actions.server``.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

ACTIVITY_TYPES = [
    ("email", "Email"),
    ("sms", "SMS"),
    ("letter", "Letter"),
    ("phone", "Phone Call"),
    ("wait", "Wait"),
    ("lead", "Create Lead"),
    ("action", "Server Action"),
]
TRIGGERS = [
    ("begin", "At start"),
    ("parent", "After the parent step"),
    ("responded", "Responded"),
    ("not_responded", "Not responded"),
    ("opened", "Opened"),
    ("not_opened", "Not opened"),
    ("clicked", "Clicked"),
    ("not_clicked", "Not clicked"),
    ("replied", "Replied"),
    ("purchased", "Purchased"),
    ("not_purchased", "Not purchased"),
]
# Triggers that read the email of the parent step.
MAIL_TRIGGERS = {"opened", "not_opened", "clicked", "not_clicked", "replied"}
INTERVAL_TYPES = [
    ("hours", "Hours"),
    ("days", "Days"),
    ("weeks", "Weeks"),
    ("months", "Months"),
]


class MktCampaignActivity(models.Model):
    _name = "mkt.campaign.activity"
    _description = "Campaign Step"
    _order = "campaign_id, parent_path, sequence, id"
    _parent_store = True
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    campaign_id = fields.Many2one(
        "mkt.campaign", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True)
    currency_id = fields.Many2one(related="campaign_id.currency_id")
    template_activity_id = fields.Many2one(
        "mkt.campaign.activity",
        string="Template Step",
        copy=False,
        ondelete="set null",
        help="The step of the template this step follows when synchronised.",
    )
    follows_template = fields.Boolean(
        copy=False,
        readonly=True,
        help="Created from the campaign's template: synchronising with the "
        "template removes it once the template no longer has its step.",
    )
    parent_id = fields.Many2one(
        "mkt.campaign.activity",
        string="After Step",
        ondelete="cascade",
        index=True,
        domain="[('campaign_id', '=', campaign_id), ('id', '!=', id)]",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("mkt.campaign.activity", "parent_id")
    activity_type = fields.Selection(
        ACTIVITY_TYPES, string="Channel", required=True, default="email"
    )
    trigger = fields.Selection(TRIGGERS, required=True, default="begin")
    interval_number = fields.Integer(string="Delay", default=0)
    interval_type = fields.Selection(
        INTERVAL_TYPES, string="Delay Unit", required=True, default="days"
    )
    window_end_number = fields.Integer(
        string="Window Until",
        help="Spread the step over a window: with a delay of 4 and a window until "
        "5 days, participants get it between 4 and 5 days after the previous "
        "step. 0: no window.",
    )
    domain = fields.Char(
        string="Participant Filter",
        help="Only the participants whose contact matches this filter get the "
        "step; the others leave this branch.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model', '=', 'res.partner')]",
    )
    mailing_id = fields.Many2one(
        "mailing.mailing",
        string="Mailing",
        copy=False,
        readonly=True,
        ondelete="set null",
        help="The mass mailing that sends the step and holds its traces and "
        "statistics.",
    )
    sms_template_id = fields.Many2one(
        "sms.template", string="SMS Template", domain="[('model', '=', 'res.partner')]"
    )
    letter_body = fields.Html(string="Letter Text", translate=True)
    call_script = fields.Html(translate=True)
    user_id = fields.Many2one(
        "res.users",
        string="Caller",
        help="Who gets the phone calls; empty: the contact's salesperson, else "
        "the campaign's responsible.",
    )
    lead_team_id = fields.Many2one(
        "crm.team", string="Lead Team", help="Empty: the campaign's sales team."
    )
    server_action_id = fields.Many2one(
        "ir.actions.server",
        domain="[('model_name', '=', 'res.partner')]",
        help="Runs on the contacts of the participants.",
    )
    fixed_cost = fields.Monetary(help="Booked once, when the step first runs.")
    unit_cost = fields.Monetary(
        string="Cost per Participant", help="Booked for every participant reached."
    )
    fixed_cost_booked = fields.Boolean(copy=False, readonly=True)
    letter_attachment_ids = fields.Many2many(
        "ir.attachment", string="Printed Letters", copy=False, readonly=True
    )
    trace_ids = fields.One2many("mkt.campaign.trace", "activity_id")
    scheduled_count = fields.Integer(compute="_compute_funnel")
    reached_count = fields.Integer(string="Reached", compute="_compute_funnel")
    responded_count = fields.Integer(string="Responded", compute="_compute_funnel")
    reached_rate = fields.Float(string="Reached %", compute="_compute_funnel")
    responded_rate = fields.Float(string="Responded %", compute="_compute_funnel")
    level = fields.Integer(compute="_compute_level")

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("parent_id", "campaign_id")
    def _check_tree(self):
        for activity in self:
            if activity._has_cycle():
                raise ValidationError(activity._cycle_message())
            if activity.parent_id and activity.parent_id.campaign_id != (
                activity.campaign_id
            ):
                raise ValidationError(
                    self.env._(
                        'Step "%(step)s": its "%(field)s" belongs to another campaign.',
                        step=activity.name,
                        field=activity._mkt_field_label("parent_id"),
                    )
                )

    @api.constrains("trigger", "parent_id", "activity_type")
    def _check_trigger(self):
        for activity in self:
            if activity.trigger != "begin" and not activity.parent_id:
                raise ValidationError(
                    self.env._(
                        'Step "%(step)s": the trigger "%(trigger)s" needs a '
                        '"%(field)s".',
                        step=activity.name,
                        trigger=activity._selection_label("trigger"),
                        field=activity._mkt_field_label("parent_id"),
                    )
                )
            if activity.trigger == "begin" and activity.parent_id:
                raise ValidationError(
                    self.env._(
                        'Step "%(step)s": a step "%(trigger)s" has no "%(field)s".',
                        step=activity.name,
                        trigger=activity._selection_label("trigger"),
                        field=activity._mkt_field_label("parent_id"),
                    )
                )
            if (
                activity.trigger in MAIL_TRIGGERS
                and activity.parent_id.activity_type != "email"
            ):
                raise ValidationError(
                    self.env._(
                        'Step "%(step)s": the trigger "%(trigger)s" needs an email '
                        'as "%(field)s".',
                        step=activity.name,
                        trigger=activity._selection_label("trigger"),
                        field=activity._mkt_field_label("parent_id"),
                    )
                )

    @api.constrains("interval_number", "window_end_number", "fixed_cost", "unit_cost")
    def _check_numbers(self):
        for activity in self:
            for field_name in ("interval_number", "fixed_cost", "unit_cost"):
                if activity[field_name] < 0:
                    raise ValidationError(
                        self.env._(
                            'Step "%(step)s": "%(field)s" cannot be negative '
                            "(%(value)s).",
                            step=activity.name,
                            field=activity._mkt_field_label(field_name),
                            value=activity[field_name],
                        )
                    )
            if (
                activity.window_end_number
                and activity.window_end_number < activity.interval_number
            ):
                raise ValidationError(
                    self.env._(
                        'Step "%(step)s": the window ends ("%(end_field)s": %(end)s) '
                        'before it starts ("%(start_field)s": %(start)s).',
                        step=activity.name,
                        end_field=activity._mkt_field_label("window_end_number"),
                        end=activity.window_end_number,
                        start_field=activity._mkt_field_label("interval_number"),
                        start=activity.interval_number,
                    )
                )

    @api.constrains(
        "activity_type", "mail_template_id", "sms_template_id", "server_action_id"
    )
    def _check_channel(self):
        required = {
            "email": "mail_template_id",
            "sms": "sms_template_id",
            "action": "server_action_id",
        }
        for activity in self:
            field_name = required.get(activity.activity_type)
            if field_name and not activity[field_name]:
                raise ValidationError(
                    self.env._(
                        'Step "%(step)s": a step "%(channel)s" needs an "%(field)s".',
                        step=activity.name,
                        channel=activity._selection_label("activity_type"),
                        field=activity._mkt_field_label(field_name),
                    )
                )

    @api.constrains("domain")
    def _check_domain(self):
        for activity in self.filtered("domain"):
            try:
                self.env["res.partner"]._search(activity._get_filter_domain())
            except Exception as error:  # safe_eval and _search raise anything
                raise ValidationError(
                    self.env._(
                        'Step "%(step)s": "%(field)s" is not a valid filter on '
                        "contacts: %(error)s",
                        step=activity.name,
                        field=activity._mkt_field_label("domain"),
                        error=error,
                    )
                ) from error

    def write(self, vals):
        if vals.get("parent_id"):
            # The parent store refuses a cycle with a bare "Recursion Detected":
            # say which step closes the loop first.
            parent = self.browse(vals["parent_id"])
            for activity in self:
                if parent == activity or (parent.parent_path or "").startswith(
                    activity.parent_path or "-"
                ):
                    raise ValidationError(activity._cycle_message())
        return super().write(vals)

    def _cycle_message(self):
        return self.env._(
            'Step "%(step)s": its "%(field)s" leads back to itself.',
            step=self.name,
            field=self._mkt_field_label("parent_id"),
        )

    def _selection_label(self, field_name):
        selection = dict(self._fields[field_name]._description_selection(self.env))
        return selection.get(self[field_name], self[field_name])

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------

    @api.depends("parent_path")
    def _compute_level(self):
        for activity in self:
            activity.level = (activity.parent_path or "").count("/") - 1

    def _compute_funnel(self):
        """Per step: scheduled (waiting), reached (processed) and, of those
        reached, how many participants responded."""
        Trace = self.env["mkt.campaign.trace"]
        domain = [
            ("activity_id", "in", self.ids),
            ("participant_id.is_test", "=", False),
        ]
        by_state = {
            (activity, state): count
            for activity, state, count in Trace._read_group(
                domain, ["activity_id", "state"], ["__count"]
            )
        }
        responded = dict(
            Trace._read_group(
                domain
                + [
                    ("state", "=", "processed"),
                    ("participant_id.responded", "=", True),
                ],
                ["activity_id"],
                ["__count"],
            )
        )
        # A response is never taken back: those who responded will be skipped
        # by a "not responded" step, they do not wait for it.
        not_waiting = dict(
            Trace._read_group(
                domain
                + [
                    ("activity_id.trigger", "=", "not_responded"),
                    ("state", "=", "scheduled"),
                    ("participant_id.responded", "=", True),
                ],
                ["activity_id"],
                ["__count"],
            )
        )
        entered = {
            campaign: campaign.participant_count for campaign in self.campaign_id
        }
        for activity in self:
            activity.scheduled_count = by_state.get(
                (activity, "scheduled"), 0
            ) - not_waiting.get(activity, 0)
            activity.reached_count = by_state.get((activity, "processed"), 0)
            activity.responded_count = responded.get(activity, 0)
            total = entered.get(activity.campaign_id, 0)
            activity.reached_rate = (
                100.0 * activity.reached_count / total if total else 0.0
            )
            activity.responded_rate = (
                100.0 * activity.responded_count / total if total else 0.0
            )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _get_filter_domain(self):
        self.ensure_one()
        return safe_eval(self.domain or "[]", {"uid": self.env.uid})

    def _delay_interval(self):
        """(delay, window) as PostgreSQL interval literals."""
        self.ensure_one()
        delay = f"{self.interval_number} {self.interval_type}"
        width = max(self.window_end_number - self.interval_number, 0)
        return delay, f"{width} {self.interval_type}"

    # ------------------------------------------------------------------
    # Execution: one method per channel, each for a batch of traces
    # ------------------------------------------------------------------

    def _execute(self, traces):
        """Run this step for ``traces`` (all of this step); the caller marks
        them processed and books the costs."""
        self.ensure_one()
        getattr(self, f"_execute_{self.activity_type}")(traces)

    def _execute_wait(self, traces):
        return True

    def _execute_email(self, traces):
        """Send through the step's mass mailing, as mass mailing itself does
        (composer in mass mode: mailing traces, link tracking, blacklist), but
        in the caller's transaction: the cron commits the mails together with
        the states of the traces, so a crash can neither lose nor repeat one."""
        mailing = self._get_or_create_mailing()
        partner_ids = traces.participant_id.partner_id.ids
        # As superuser, as the cron sends: "Process now" by a marketing user who
        # is no mail template editor renders the template's dynamic content too
        # (see _create_mailing).
        composer = (
            self.env["mail.compose.message"]
            .sudo()
            .with_context(
                active_ids=partner_ids,
                default_composition_mode="mass_mail",
                mkt_campaign_id=self.campaign_id.id,
                mkt_campaign_trace_by_res_id={
                    trace.participant_id.partner_id.id: trace.id for trace in traces
                },
                **mailing._get_mass_mailing_context(),
            )
            .create(mailing._mkt_composer_values())
        )
        # One render for the whole batch, where the composer would split it
        # into chunks of mail.batch_size: queries per batch stay constant.
        values = composer._prepare_mail_values(partner_ids)
        mails = self.env["mail.mail"].sudo().create(list(values.values()))
        self.env["res.partner"].browse(partner_ids)._message_mail_after_hook(mails)
        links = [
            (mailing_trace.mkt_campaign_trace_id.id, mailing_trace.id)
            for mailing_trace in mails.mailing_trace_ids
            if mailing_trace.mkt_campaign_trace_id
        ]
        traces._link_records(
            "mailing_trace_id",
            [trace_id for trace_id, _mailing_trace_id in links],
            [mailing_trace_id for _trace_id, mailing_trace_id in links],
        )
        self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()

    def _get_or_create_mailing(self):
        """The steps' mailings, with their links shortened once for all mails:
        the mails then only add their trace to each link. Created when the
        campaign starts, so that parallel workers never race to create one."""
        for activity in self.filtered(lambda a: not a.mailing_id):
            activity._create_mailing()
        return self.mailing_id

    def _create_mailing(self):
        self.ensure_one()
        template = self.mail_template_id
        campaign = self.campaign_id
        # As superuser: the body is the template's, written by a mail template
        # editor. Who starts the campaign only chose the template and may lack
        # that right (Odoo restricts dynamic content to template editors).
        mailing = (
            self.env["mailing.mailing"]
            .sudo()
            .create(
                {
                    "subject": template.subject or self.name,
                    "body_arch": template.body_html,
                    "body_html": template.body_html,
                    "email_from": template.email_from
                    or self.env.user.email_formatted
                    or campaign.company_id.email_formatted,
                    "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "mailing_domain": "[]",
                    "campaign_id": campaign.utm_campaign_id.id,
                    "user_id": campaign.user_id.id or self.env.uid,
                    "state": "done",
                    "sent_date": fields.Datetime.now(),
                }
            )
        )
        mailing.body_html = mailing.convert_links()[mailing.id]
        self.mailing_id = mailing
        return self.mailing_id

    def _execute_sms(self, traces):
        """Queue one ``sms.sms`` per participant; the SMS queue sends them."""
        partners = traces.participant_id.partner_id
        bodies = self.sms_template_id._render_field(
            "body", partners.ids, compute_lang=True
        )
        values = []
        for trace in traces:
            partner = trace.participant_id.partner_id
            number = partner.phone_sanitized or partner.mobile or partner.phone
            values.append(
                {
                    "partner_id": partner.id,
                    "number": number,
                    "body": bodies[partner.id],
                    "state": "outgoing" if number else "error",
                    "failure_type": False if number else "sms_number_missing",
                }
            )
        self.env["sms.sms"].sudo().create(values)
        self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger()

    def _execute_letter(self, traces):
        """Print the letters of the batch as one PDF, kept on the step."""
        participants = traces.participant_id
        report = self.env.ref("mkt_campaign_flow.mkt_campaign_letter_report")
        content, _type = report._render_qweb_pdf(report.report_name, participants.ids)
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._(
                    "Letters %(step)s %(date)s (%(count)s).pdf",
                    step=self.name,
                    date=fields.Datetime.now().strftime("%Y-%m-%d %H-%M-%S"),
                    count=len(participants),
                ),
                "raw": content,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.letter_attachment_ids = [(4, attachment.id)]
        self.env.cr.execute(
            SQL(
                "UPDATE mkt_campaign_trace SET letter_attachment_id = %s WHERE id = ANY(%s)",
                attachment.id,
                traces.ids,
            )
        )
        traces.invalidate_recordset(["letter_attachment_id"])

    def _execute_phone(self, traces):
        """A phone-call activity per participant for the caller, with the script."""
        activity_type = self.env.ref("mail.mail_activity_data_call")
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        values = []
        for trace in traces:
            partner = trace.participant_id.partner_id
            user = self.user_id or partner.user_id or self.campaign_id.user_id
            values.append(
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "summary": f"{self.campaign_id.name}: {self.name}",
                    "note": self.call_script,
                    "user_id": (user or self.env.user).id,
                    "date_deadline": today,
                    "mkt_campaign_trace_id": trace.id,
                }
            )
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(values)
        )
        traces._link_records("mail_activity_id", traces.ids, activities.ids)

    def _execute_lead(self, traces):
        """A CRM lead per participant who has none yet."""
        campaign = self.campaign_id
        team = self.lead_team_id or campaign.team_id
        medium = self.env.ref("utm.utm_medium_email", raise_if_not_found=False)
        participants = traces.participant_id.filtered(lambda p: not p.lead_id)
        # The first stage of the team, found once (crm looks it up per lead).
        stage = self.env["crm.lead"]._stage_find(
            team_id=team.id, domain=[("fold", "=", False)]
        )
        leads = (
            self.env["crm.lead"]
            .sudo()
            .create(
                [
                    {
                        "name": f"{campaign.name}: {participant.partner_id.name}",
                        "type": "lead",
                        "partner_id": participant.partner_id.id,
                        "team_id": team.id,
                        "stage_id": stage.id,
                        "user_id": (
                            participant.partner_id.user_id or campaign.user_id
                        ).id,
                        "campaign_id": campaign.utm_campaign_id.id,
                        "medium_id": medium.id if medium else False,
                        "company_id": campaign.company_id.id,
                        "mkt_participant_id": participant.id,
                    }
                    for participant in participants
                ]
            )
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE mkt_campaign_participant p SET lead_id = l.id
                     FROM crm_lead l
                    WHERE l.mkt_participant_id = p.id AND l.id = ANY(%s)""",
                leads.ids,
            )
        )
        participants.invalidate_recordset(["lead_id"])
        self.env.cr.execute(
            SQL(
                """UPDATE mkt_campaign_trace t SET lead_id = p.lead_id
                     FROM mkt_campaign_participant p
                    WHERE p.id = t.participant_id AND t.id = ANY(%s)""",
                traces.ids,
            )
        )
        traces.invalidate_recordset(["lead_id"])
        participants._check_opportunity_goal()

    def _execute_action(self, traces):
        partners = traces.participant_id.partner_id
        self.server_action_id.with_context(
            active_model="res.partner",
            active_ids=partners.ids,
            active_id=partners[:1].id,
        ).run()

    # ------------------------------------------------------------------
    # Costs
    # ------------------------------------------------------------------

    def _book_costs(self, count):
        """Book the step's costs for ``count`` participants reached, and its
        fixed cost the first time it runs, on the campaign's analytic account."""
        self.ensure_one()
        campaign = self.campaign_id
        account = campaign.analytic_account_id
        if not account:
            return
        today = fields.Date.context_today(self)
        column = account.plan_id._column_name()
        lines = []
        if self.unit_cost and count:
            lines.append(
                {
                    "name": self.env._(
                        "%(campaign)s: %(step)s, %(count)s participants",
                        campaign=campaign.name,
                        step=self.name,
                        count=count,
                    ),
                    "amount": -self.unit_cost * count,
                    "unit_amount": count,
                }
            )
        if self.fixed_cost and not self.fixed_cost_booked:
            # A parallel worker on the same step waits here, then sees it booked.
            self.env.cr.execute(
                SQL(
                    "SELECT fixed_cost_booked FROM mkt_campaign_activity "
                    "WHERE id = %s FOR NO KEY UPDATE",
                    self.id,
                )
            )
            if not self.env.cr.fetchone()[0]:
                lines.append(
                    {
                        "name": self.env._(
                            "%(campaign)s: %(step)s, fixed cost",
                            campaign=campaign.name,
                            step=self.name,
                        ),
                        "amount": -self.fixed_cost,
                        "unit_amount": 1,
                    }
                )
                self.fixed_cost_booked = True
        if lines:
            self.env["account.analytic.line"].sudo().create(
                [
                    dict(
                        line,
                        date=today,
                        company_id=campaign.company_id.id,
                        mkt_campaign_activity_id=self.id,
                        **{column: account.id},
                    )
                    for line in lines
                ]
            )

    def action_view_letters(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Printed Letters"),
            "res_model": "ir.attachment",
            "view_mode": "list,form",
            "domain": [("id", "in", self.letter_attachment_ids.ids)],
        }
