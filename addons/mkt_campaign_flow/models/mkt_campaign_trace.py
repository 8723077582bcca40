"""One participant at one step: when it is due, whether it ran, what answered.

The processing engine lives here. Work is selected by state (``scheduled`` and
due), claimed with ``FOR UPDATE SKIP LOCKED`` and done batch by batch: a batch
runs its steps (mails, SMS, letters, calls, leads are all created in the same
transaction), marks its traces processed, schedules the next steps and books
the costs, then commits. A worker killed mid-batch leaves nothing behind (its
transaction is rolled back and the traces are still scheduled); a second
worker skips the traces the first one holds. Nothing is sent twice, nothing is
lost.
"""

import logging
import threading

import psycopg2.errors

from odoo import api, fields, models
from odoo.tools import SQL, groupby

_logger = logging.getLogger(__name__)

TRACE_STATES = [
    ("scheduled", "Scheduled"),
    ("processed", "Processed"),
    ("canceled", "Skipped"),
    ("error", "Error"),
]
CALL_RESULTS = [
    ("interested", "Interested"),
    ("not_interested", "Not interested"),
    ("unreachable", "Not reached"),
]


class MktCampaignTrace(models.Model):
    _name = "mkt.campaign.trace"
    _description = "Campaign Trace"
    _order = "scheduled_at desc, id desc"
    _rec_name = "activity_id"

    _batch_size = 500

    participant_id = fields.Many2one(
        "mkt.campaign.participant", required=True, ondelete="cascade", index=True
    )
    activity_id = fields.Many2one(
        "mkt.campaign.activity", string="Step", required=True, ondelete="cascade"
    )
    activity_type = fields.Selection(related="activity_id.activity_type")
    campaign_id = fields.Many2one(
        "mkt.campaign", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True)
    partner_id = fields.Many2one(related="participant_id.partner_id")
    # What the caller of a phone step needs on the trace they work in.
    partner_phone = fields.Char(related="partner_id.phone")
    partner_mobile = fields.Char(related="partner_id.mobile")
    call_script = fields.Html(related="activity_id.call_script")
    scheduled_at = fields.Datetime(required=True)
    processed_at = fields.Datetime()
    state = fields.Selection(TRACE_STATES, default="scheduled", required=True)
    state_message = fields.Char(string="Reason")
    mailing_trace_id = fields.Many2one(
        "mailing.trace", string="Mail", ondelete="set null", readonly=True
    )
    mail_activity_id = fields.Many2one(
        "mail.activity", string="Call", ondelete="set null", readonly=True
    )
    letter_attachment_id = fields.Many2one(
        "ir.attachment", string="Letter Batch", ondelete="set null", readonly=True
    )
    lead_id = fields.Many2one("crm.lead", ondelete="set null", readonly=True)
    response = fields.Selection(
        [
            ("opened", "Opened"),
            ("email", "Clicked or replied"),
            ("order", "Ordered"),
            ("form", "Contact form"),
            ("call", "Call"),
            ("letter", "Letter reply"),
        ]
    )
    response_at = fields.Datetime()
    call_result = fields.Selection(CALL_RESULTS)
    call_note = fields.Text()

    _sql_constraints = [
        (
            "participant_activity_unique",
            "UNIQUE (participant_id, activity_id)",
            "A participant passes each step once.",
        ),
    ]

    def init(self):
        # The claim's index: due traces in order.
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS mkt_campaign_trace_due_index
                   ON mkt_campaign_trace (scheduled_at, id) WHERE state = 'scheduled'"""
        )

    # ------------------------------------------------------------------
    # Scheduling
    # ------------------------------------------------------------------

    @api.model
    def _schedule_values_sql(self, activities):
        """Rows (activity_id, delay, spread) of ``activities``, as SQL: a
        participant is due ``delay`` after the previous step plus its share of
        ``spread`` (the window), the share fixed by its id."""
        if not activities:
            return SQL(
                "SELECT NULL::int AS activity_id, NULL::interval AS delay, "
                "NULL::interval AS spread WHERE FALSE"
            )
        rows = []
        for activity in activities:
            delay, window = activity._delay_interval()
            rows.append(
                SQL("(%s, %s::interval, %s::interval)", activity.id, delay, window)
            )
        return SQL(
            "SELECT * FROM (VALUES %s) AS s(activity_id, delay, spread)",
            SQL(", ").join(rows),
        )

    def _schedule_children(self, now):
        """Schedule the children of the steps these traces ran, in one INSERT."""
        if not self:
            return
        children = self.activity_id.child_ids
        if not children:
            return
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO mkt_campaign_trace (
                    participant_id, activity_id, campaign_id, company_id,
                    scheduled_at, state, create_uid, create_date, write_uid,
                    write_date)
                SELECT t.participant_id, a.id, t.campaign_id, t.company_id,
                       %(now)s + s.delay
                           + s.spread * mod(t.participant_id * 7919, 1000) / 1000.0,
                       'scheduled', %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM mkt_campaign_trace t
                  JOIN mkt_campaign_activity a ON a.parent_id = t.activity_id
                  JOIN (%(schedule)s) AS s ON s.activity_id = a.id
                 WHERE t.id = ANY(%(ids)s)
                    ON CONFLICT (participant_id, activity_id) DO NOTHING
                """,
                now=now,
                uid=self.env.uid,
                schedule=self._schedule_values_sql(children),
                ids=self.ids,
            )
        )
        self.participant_id.invalidate_recordset(["trace_ids"])

    # ------------------------------------------------------------------
    # Processing
    # ------------------------------------------------------------------

    @api.model
    def _cron_process(self, batch_size=None):
        """Cron: let new segment members enter the running campaigns, then
        process every due step, batch by batch, committing each batch."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        running = self.env["mkt.campaign"].search([("state", "=", "running")])
        running._sync_participants()
        if auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        self._process_due(batch_size=batch_size, auto_commit=auto_commit)

    @api.model
    def _process_due(self, campaigns=None, batch_size=None, auto_commit=False):
        """Process the due traces (of ``campaigns`` if given) until none is left.

        :return: the number of traces processed or skipped
        """
        batch_size = batch_size or self._batch_size
        remaining = self._count_due(campaigns)
        done = 0
        retries = 0
        while True:
            try:
                count = self._process_next_batch(batch_size, campaigns=campaigns)
            except psycopg2.errors.SerializationFailure:
                # Another worker committed a trace we had read: start afresh.
                if not auto_commit or retries >= 5:
                    raise
                self.env.cr.rollback()
                self.env.invalidate_all()
                retries += 1
                continue
            if not count:
                break
            retries = 0
            done += count
            self.env["ir.cron"]._notify_progress(
                done=done, remaining=max(remaining - done, 0)
            )
            if auto_commit:
                # One transaction per batch: a crash loses one batch at most.
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return done

    @api.model
    def _due_where(self, campaigns=None):
        condition = SQL(
            """t.state = 'scheduled' AND t.scheduled_at <= %s
               AND t.campaign_id IN (SELECT id FROM mkt_campaign
                                      WHERE state IN ('running', 'test'))""",
            fields.Datetime.now(),
        )
        if campaigns:
            condition = SQL("%s AND t.campaign_id = ANY(%s)", condition, campaigns.ids)
        return condition

    @api.model
    def _count_due(self, campaigns=None):
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM mkt_campaign_trace t WHERE %s",
                self._due_where(campaigns),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _claim_due(self, limit, campaigns=None):
        """Lock up to ``limit`` due traces; those another worker holds are skipped."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT t.id FROM mkt_campaign_trace t WHERE %s
                    ORDER BY t.scheduled_at, t.id LIMIT %s
                      FOR NO KEY UPDATE SKIP LOCKED""",
                self._due_where(campaigns),
                limit,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _process_next_batch(self, limit, campaigns=None):
        traces = self._claim_due(limit, campaigns=campaigns)
        traces._process_traces()
        return len(traces)

    def _process_traces(self):
        """Run the steps of these (claimed) traces, step by step.

        The states of traces and participants are written with one UPDATE
        each (the ORM would send one per 100 rows), so that the queries of a
        batch do not depend on its size.
        """
        if not self:
            return
        now = fields.Datetime.now()
        for activity, traces in groupby(self, key=lambda t: t.activity_id):
            traces = self.browse(t.id for t in traces)
            kept, skipped = traces._filter_by_trigger(activity, now)
            skipped._set_state("canceled", now)
            if not kept:
                continue
            try:
                with self.env.cr.savepoint():
                    activity._execute(kept)
                    kept._set_state("processed", now)
                    activity._book_costs(len(kept))
            except psycopg2.errors.SerializationFailure:
                raise
            except Exception as error:  # any step may fail: keep the others going
                _logger.exception("Campaign step %s failed", activity.id)
                self.env.invalidate_all()
                message = str(error).strip().splitlines()[0][:200]
                kept._set_state("error", now, message)
                continue
            kept._set_current_activity(activity)
            kept._schedule_children(now)
        self.participant_id._update_completed()

    def _set_state(self, state, now, message=None):
        if not self:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE mkt_campaign_trace
                      SET state = %s, processed_at = %s, state_message = %s,
                          write_date = %s, write_uid = %s
                    WHERE id = ANY(%s)""",
                state,
                now,
                message,
                now,
                self.env.uid,
                self.ids,
            )
        )
        self.invalidate_recordset(["state", "processed_at", "state_message"])

    def _set_current_activity(self, activity):
        self.env.cr.execute(
            SQL(
                """UPDATE mkt_campaign_participant SET current_activity_id = %s
                    WHERE id IN (SELECT participant_id FROM mkt_campaign_trace
                                  WHERE id = ANY(%s))""",
                activity.id,
                self.ids,
            )
        )
        self.participant_id.invalidate_recordset(["current_activity_id"])

    def _link_records(self, column, trace_ids, record_ids):
        """Set ``column`` of the traces ``trace_ids`` to ``record_ids`` (pairwise)
        in one UPDATE."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE mkt_campaign_trace t SET %s = link.record_id
                     FROM (SELECT unnest(%s::int[]) AS trace_id,
                                  unnest(%s::int[]) AS record_id) AS link
                    WHERE t.id = link.trace_id""",
                SQL.identifier(column),
                list(trace_ids),
                list(record_ids),
            )
        )
        self.invalidate_recordset([column])

    def _filter_by_trigger(self, activity, now):
        """Split the traces of ``activity`` into those whose condition holds
        and those to skip (the participant leaves this branch)."""
        traces = self
        skip = self.browse()
        inactive = traces.filtered(lambda t: t.participant_id.state != "running")
        skip |= inactive
        traces -= inactive
        if activity.domain and traces:
            partners = traces.participant_id.partner_id
            matching = set(
                self.env["res.partner"]
                .with_context(active_test=False)
                ._search([("id", "in", partners.ids), *activity._get_filter_domain()])
            )
            mismatch = traces.filtered(
                lambda t: t.participant_id.partner_id.id not in matching
            )
            skip |= mismatch
            traces -= mismatch
        trigger = activity.trigger
        if trigger in ("begin", "parent") or not traces:
            return traces, skip
        if trigger in ("responded", "not_responded"):
            holds = traces.filtered(lambda t: t.participant_id.responded)
        elif trigger in ("purchased", "not_purchased"):
            holds = traces._with_purchase(activity.parent_id)
        else:
            parents = self.search(
                [
                    ("participant_id", "in", traces.participant_id.ids),
                    ("activity_id", "=", activity.parent_id.id),
                ]
            )
            field_name = {
                "opened": "open_datetime",
                "not_opened": "open_datetime",
                "clicked": "links_click_datetime",
                "not_clicked": "links_click_datetime",
                "replied": "reply_datetime",
            }[trigger]
            participants = parents.filtered(
                lambda p: p.mailing_trace_id[field_name]
            ).participant_id
            holds = traces.filtered(lambda t: t.participant_id in participants)
        if trigger.startswith("not_"):
            holds = traces - holds
        return holds, skip | (traces - holds)

    def _with_purchase(self, parent):
        """The traces whose partner confirmed an order since the parent step ran."""
        self.env["sale.order"].flush_model(["partner_id", "state", "date_order"])
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT t.id FROM mkt_campaign_trace t
                     JOIN mkt_campaign_participant p ON p.id = t.participant_id
                     JOIN mkt_campaign_trace parent
                       ON parent.participant_id = t.participant_id
                      AND parent.activity_id = %s
                    WHERE t.id = ANY(%s) AND EXISTS (
                        SELECT 1 FROM sale_order so
                          JOIN res_partner buyer ON buyer.id = so.partner_id
                         WHERE buyer.commercial_partner_id = p.partner_id
                           AND so.state = 'sale'
                           AND so.date_order >= parent.processed_at)""",
                parent.id,
                self.ids,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    # ------------------------------------------------------------------
    # Calls
    # ------------------------------------------------------------------

    def action_record_call(self, result, note=False):
        """Record the result of the call: the activity is done, the answer
        kept on the trace; 'Interested' is a response with interest."""
        for trace in self:
            trace.write({"call_result": result, "call_note": note})
            if trace.mail_activity_id:
                trace.mail_activity_id.sudo().with_context(
                    mkt_campaign_call_recorded=True
                ).action_feedback(feedback=note or dict(CALL_RESULTS)[result])
            if result in ("interested", "not_interested"):
                # Salespeople record calls without managing participants.
                trace.participant_id.sudo()._register_response(
                    "call", traces=trace.sudo(), interest=result == "interested"
                )
        return True

    def action_retry(self):
        """Schedule failed steps again (e.g. after fixing a printer or a
        template); the next run processes them."""
        failed = self.filtered(lambda t: t.state == "error")
        failed.write(
            {
                "state": "scheduled",
                "scheduled_at": fields.Datetime.now(),
                "state_message": False,
            }
        )
        # Their participants had nothing left to do: they are on their way again.
        failed.participant_id.filtered(lambda p: p.state == "completed").write(
            {"state": "running"}
        )
        return True

    def action_call_interested(self):
        return self.action_record_call("interested")

    def action_call_not_interested(self):
        return self.action_record_call("not_interested")

    def action_call_unreachable(self):
        return self.action_record_call("unreachable")
