"""Campaigns: a segment, a tree of steps, the participants and what it all cost.

The campaign is the unit the marketing team plans on the board (stage), runs
(state) and pays for (budget against the analytic lines its steps book).
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

STATES = [
    ("draft", "Draft"),
    ("test", "Testing"),
    ("running", "Running"),
    ("paused", "Paused"),
    ("done", "Done"),
]


class MktCampaign(models.Model):
    _name = "mkt.campaign"
    _description = "Marketing Campaign"
    # No mail.activity.mixin: its activity_ids would clash with the steps.
    _inherit = ["mail.thread"]
    _order = "sequence, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    is_template = fields.Boolean(
        string="Is a Template",
        copy=False,
        help="A template is never started; campaigns created from it copy its "
        "steps and can be synchronised with it again.",
    )
    template_id = fields.Many2one(
        "mkt.campaign",
        domain="[('is_template', '=', True)]",
        check_company=True,
        copy=False,
    )
    segment_id = fields.Many2one(
        "mkt.segment", check_company=True, tracking=True, index=True
    )
    stage_id = fields.Many2one(
        "mkt.campaign.stage",
        default=lambda self: self.env["mkt.campaign.stage"].search([], limit=1),
        group_expand="_read_group_expand_full",
        tracking=True,
        index=True,
    )
    state = fields.Selection(
        STATES, default="draft", required=True, copy=False, tracking=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        check_company=True,
        help="Team of the leads and phone calls of the campaign.",
    )
    goal = fields.Text(string="Goals")
    opportunity_goal = fields.Selection(
        [
            ("responded", "Any response"),
            ("interest", "Interest confirmed"),
        ],
        string="Lead Becomes Opportunity On",
        default="interest",
        required=True,
        help="Any response: a click, a reply, an order, the contact form, a call or "
        "a scanned letter. Interest confirmed: the contact form or a call with "
        "the result 'Interested'.",
    )
    date_start = fields.Date(string="Start", copy=False)
    date_end = fields.Date(string="End", copy=False)
    response_days = fields.Integer(
        string="Order Response Window (days)",
        default=14,
        help="A confirmed order counts as a response to a step when it is placed "
        "within this many days after the step.",
    )
    test_partner_id = fields.Many2one(
        "res.partner",
        string="Test Recipient",
        help="In test mode, only this contact runs through the steps.",
    )
    utm_campaign_id = fields.Many2one(
        "utm.campaign", string="UTM Campaign", copy=False, ondelete="restrict"
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        copy=False,
        check_company=True,
        ondelete="restrict",
    )
    budget = fields.Monetary()
    cost_actual = fields.Monetary(string="Actual Cost", compute="_compute_cost_actual")
    activity_ids = fields.One2many(
        "mkt.campaign.activity", "campaign_id", string="Steps", copy=True
    )
    participant_ids = fields.One2many("mkt.campaign.participant", "campaign_id")
    participant_count = fields.Integer(compute="_compute_participant_stats")
    responded_count = fields.Integer(compute="_compute_participant_stats")
    lead_count = fields.Integer(compute="_compute_participant_stats")
    opportunity_count = fields.Integer(compute="_compute_participant_stats")
    won_count = fields.Integer(compute="_compute_participant_stats")

    _sql_constraints = [
        (
            "dates_check",
            "CHECK (date_end IS NULL OR date_start IS NULL OR date_end >= date_start)",
            "A campaign cannot end before it starts.",
        ),
    ]

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------

    def _compute_cost_actual(self):
        accounts = self.analytic_account_id
        costs = {}
        if accounts:
            plan_column = accounts[:1].plan_id._column_name()
            # Marketing users read the campaign's costs, not the analytic lines.
            costs = dict(
                self.env["account.analytic.line"]
                .sudo()
                ._read_group(
                    [(plan_column, "in", accounts.ids)], [plan_column], ["amount:sum"]
                )
            )
            costs = {account.id: amount for account, amount in costs.items()}
        for campaign in self:
            campaign.cost_actual = -costs.get(campaign.analytic_account_id.id, 0.0)

    def _compute_participant_stats(self):
        Participant = self.env["mkt.campaign.participant"]
        base = [("campaign_id", "in", self.ids), ("is_test", "=", False)]

        def count(domain):
            return dict(
                Participant._read_group(base + domain, ["campaign_id"], ["__count"])
            )

        entered = count([])
        responded = count([("responded", "=", True)])
        leads = count([("lead_id", "!=", False)])
        opportunities = count([("lead_id.type", "=", "opportunity")])
        won = count([("lead_id.stage_id.is_won", "=", True)])
        for campaign in self:
            campaign.participant_count = entered.get(campaign, 0)
            campaign.responded_count = responded.get(campaign, 0)
            campaign.lead_count = leads.get(campaign, 0)
            campaign.opportunity_count = opportunities.get(campaign, 0)
            campaign.won_count = won.get(campaign, 0)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        campaigns = super().create(vals_list)
        for campaign in campaigns:
            if campaign.template_id and not campaign.activity_ids:
                campaign._copy_steps_from(campaign.template_id)
            if not campaign.utm_campaign_id:
                campaign.utm_campaign_id = self.env["utm.campaign"].create(
                    {"name": campaign.name}
                )
            if not campaign.analytic_account_id:
                campaign.analytic_account_id = campaign._create_analytic_account()
        return campaigns

    def _create_analytic_account(self):
        self.ensure_one()
        return self.env["account.analytic.account"].create(
            {
                "name": self.env._("Campaign: %(name)s", name=self.name),
                "plan_id": self.env.ref("mkt_campaign_flow.analytic_plan_campaigns").id,
                "company_id": self.company_id.id,
            }
        )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        return [
            dict(vals, name=self.env._("%s (copy)", campaign.name))
            for campaign, vals in zip(self, vals_list, strict=True)
        ]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_startable(self):
        for campaign in self:
            if campaign.is_template:
                raise UserError(
                    self.env._(
                        'Campaign "%(campaign)s" is a template: create a campaign '
                        "from it to run it.",
                        campaign=campaign.name,
                    )
                )
            if not campaign.activity_ids:
                raise UserError(
                    self.env._(
                        'Campaign "%(campaign)s" has no steps.', campaign=campaign.name
                    )
                )

    def action_start(self):
        """Run live: the segment's customers enter and the cron processes the
        steps as they fall due."""
        self._check_startable()
        for campaign in self:
            if not campaign.segment_id:
                raise UserError(
                    self.env._(
                        'Campaign "%(campaign)s": choose the "%(field)s" first.',
                        campaign=campaign.name,
                        field=campaign._mkt_field_label("segment_id"),
                    )
                )
        # Test participants were only there to try the flow.
        self.participant_ids.filtered("is_test").unlink()
        self.write(
            {
                "state": "running",
                "date_start": fields.Date.context_today(self),
            }
        )
        self.activity_ids.filtered(
            lambda a: a.activity_type == "email"
        )._get_or_create_mailing()
        self._sync_participants()
        self.env.ref("mkt_campaign_flow.ir_cron_campaign_process")._trigger()
        return True

    def action_test(self):
        """Test mode: only the test recipient enters; 'Next step now' on the
        participant runs its steps one by one."""
        self._check_startable()
        for campaign in self:
            partner = campaign.test_partner_id or self.env.user.partner_id
            campaign.state = "test"
            campaign.activity_ids.filtered(
                lambda a: a.activity_type == "email"
            )._get_or_create_mailing()
            existing = campaign.participant_ids.filtered(
                lambda p, partner=partner: p.partner_id == partner
            )
            if not existing:
                campaign._enter_partners(partner.ids, is_test=True)
        return self.action_open_participants()

    def action_pause(self):
        self.filtered(lambda c: c.state in ("running", "test")).state = "paused"
        return True

    def action_resume(self):
        self.filtered(lambda c: c.state == "paused").state = "running"
        self.env.ref("mkt_campaign_flow.ir_cron_campaign_process")._trigger()
        return True

    def action_done(self):
        self.write({"state": "done", "date_end": fields.Date.context_today(self)})
        self.env["mkt.campaign.trace"].search(
            [("campaign_id", "in", self.ids), ("state", "=", "scheduled")]
        ).write({"state": "canceled"})
        self.participant_ids.filtered(
            lambda p: p.state == "running"
        ).state = "completed"
        return True

    def action_reset_draft(self):
        self.filtered(lambda c: c.state in ("test", "paused")).state = "draft"
        return True

    def action_process_now(self):
        """Manual mode: sync the segment and process every due step now."""
        self.filtered(lambda c: c.state == "running")._sync_participants()
        self.env["mkt.campaign.trace"]._process_due(campaigns=self)
        return True

    def action_sync_participants(self):
        self.filtered(lambda c: c.state == "running")._sync_participants()
        return True

    def action_sync_from_template(self):
        """Bring the steps in line with the template: change the steps that
        come from it, add the new ones, remove those it no longer has; steps
        added by hand stay."""
        for campaign in self:
            if not campaign.template_id:
                raise UserError(
                    self.env._(
                        'Campaign "%(campaign)s" was not created from a template.',
                        campaign=campaign.name,
                    )
                )
            campaign._copy_steps_from(campaign.template_id)
        return True

    def action_open_participants(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mkt_campaign_flow.mkt_campaign_participant_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {
            "default_campaign_id": self.id,
            "search_default_group_current_activity": 1,
        }
        return action

    def action_open_leads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action["domain"] = [("id", "in", self.participant_ids.lead_id.ids)]
        action["context"] = {"active_test": False, "create": False}
        return action

    def action_open_costs(self):
        self.ensure_one()
        plan_column = self.analytic_account_id.plan_id._column_name()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Costs"),
            "res_model": "account.analytic.line",
            "view_mode": "list,pivot,graph",
            "domain": [(plan_column, "=", self.analytic_account_id.id)],
            "context": {"search_default_group_mkt_campaign_activity": 1},
        }

    def action_open_scan(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Scan Letter Responses"),
            "res_model": "mkt.campaign.scan",
            "view_mode": "form",
            "target": "new",
            "context": {"default_campaign_id": self.id},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _copy_steps_from(self, template):
        """Create or update this campaign's steps from those of ``template``,
        parents first so that the tree is rebuilt with this campaign's steps;
        then remove the steps that came from the template but whose step it no
        longer has (steps added by hand stay)."""
        self.ensure_one()
        Activity = self.env["mkt.campaign.activity"]
        mine = {
            a.template_activity_id: a
            for a in self.activity_ids
            if a.template_activity_id
        }
        skip = {
            "campaign_id",
            "parent_id",
            "template_activity_id",
            "follows_template",
            "mailing_id",
        }
        names = [
            name
            for name, field in Activity._fields.items()
            if field.store and field.copy and name not in skip
        ]
        for source in template.activity_ids.sorted(lambda a: (a.parent_path, a.id)):
            values = source._convert_to_write(source.read(names)[0])
            values.pop("id", None)
            values["parent_id"] = (
                mine[source.parent_id].id if source.parent_id else False
            )
            if source in mine:
                mine[source].write(values)
            else:
                mine[source] = Activity.create(
                    dict(
                        values,
                        campaign_id=self.id,
                        template_activity_id=source.id,
                        follows_template=True,
                    )
                )
        kept = Activity.union(*(mine[source] for source in template.activity_ids))
        removed = self.activity_ids.filtered(
            lambda a: a.follows_template and a not in kept
        )
        if removed:
            self._remove_template_steps(removed)

    def _remove_template_steps(self, steps):
        """Delete ``steps`` (and the steps below them), which their template
        no longer has; a step that already ran for participants keeps their
        history, so the synchronisation stops and says which one."""
        subtree = self.env["mkt.campaign.activity"].search(
            [("id", "child_of", steps.ids)]
        )
        ran = self.env["mkt.campaign.trace"].search(
            [
                ("activity_id", "in", subtree.ids),
                ("state", "in", ("processed", "error", "canceled")),
            ],
            limit=1,
        )
        if ran:
            raise UserError(
                self.env._(
                    'Campaign "%(campaign)s": step "%(step)s" is no longer in the '
                    "template, but it has already run for participants. Pause the "
                    "campaign and delete the step by hand, or add it to the "
                    "template again.",
                    campaign=self.name,
                    step=ran.activity_id.name,
                )
            )
        subtree.unlink()

    def _sync_participants(self):
        """Let the customers of the segment who are not in yet enter."""
        for campaign in self:
            query = campaign.segment_id._get_partner_query()
            campaign.segment_id._flush_selection()
            campaign._enter_partners(query)

    def _enter_partners(self, partners, is_test=False):
        """Insert the participants and the traces of the starting steps in one
        statement. ``partners`` is a list of ids or a ``Query`` on res.partner.

        Blacklisted, opted-out and archived partners never enter; a partner
        enters a campaign once (the unique key makes a second entry a no-op).

        :return: the number of partners that entered
        """
        self.ensure_one()
        # Participants and traces are inserted in SQL: check the rights first.
        self.env["mkt.campaign.participant"].check_access("create")
        if isinstance(partners, list | tuple):
            members = SQL("SELECT unnest(%s::int[]) AS id", list(partners))
        else:
            members = partners.select("id")
        self.env.flush_all()
        Trace = self.env["mkt.campaign.trace"]
        now = fields.Datetime.now()
        roots = self.activity_ids.filtered(lambda a: a.trigger == "begin")
        schedule = Trace._schedule_values_sql(roots)
        self.env.cr.execute(
            SQL(
                """
                WITH candidates AS (
                    SELECT DISTINCT p.id AS partner_id
                      FROM res_partner p
                     WHERE p.id IN (%(members)s) AND p.active
                       AND p.mkt_campaign_opt_out IS NOT TRUE
                       AND NOT EXISTS (
                           SELECT 1 FROM mail_blacklist bl
                            WHERE bl.active AND bl.email = p.email_normalized)
                       AND NOT EXISTS (
                           SELECT 1 FROM mkt_campaign_participant x
                            WHERE x.campaign_id = %(campaign)s
                              AND x.partner_id = p.id)
                ),
                numbered AS (
                    SELECT nextval('mkt_campaign_participant_id_seq') AS id, partner_id
                      FROM candidates
                ),
                inserted AS (
                    INSERT INTO mkt_campaign_participant (
                        id, campaign_id, company_id, partner_id, state, barcode,
                        access_token, responded, interest_confirmed, is_test,
                        create_uid, create_date, write_uid, write_date)
                    SELECT id, %(campaign)s, %(company)s, partner_id, 'running',
                           'MKT' || lpad(id::text, 9, '0'),
                           md5(random()::text || clock_timestamp()::text || id::text),
                           FALSE, FALSE, %(is_test)s,
                           %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM numbered
                        ON CONFLICT (campaign_id, partner_id) DO NOTHING
                    RETURNING id
                ),
                traces AS (
                    INSERT INTO mkt_campaign_trace (
                        participant_id, activity_id, campaign_id, company_id,
                        scheduled_at, state, create_uid, create_date, write_uid,
                        write_date)
                    SELECT i.id, s.activity_id, %(campaign)s, %(company)s,
                           %(now)s + s.delay + s.spread * mod(i.id * 7919, 1000) / 1000.0,
                           'scheduled', %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM inserted i CROSS JOIN (%(schedule)s) AS s
                )
                SELECT count(*) FROM inserted
                """,
                members=members,
                campaign=self.id,
                company=self.company_id.id,
                is_test=is_test,
                uid=self.env.uid,
                now=now,
                schedule=schedule,
            )
        )
        entered = self.env.cr.fetchone()[0]
        self.env["mkt.campaign.participant"].invalidate_model()
        self.env["mkt.campaign.trace"].invalidate_model()
        self.invalidate_recordset()
        return entered
