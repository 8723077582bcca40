"""A campaign step that carries a voucher.

Nothing of the voucher engine is repeated here. An email step hands its voucher
to the mailing it sends through (``mailing.mailing.mkt_voucher_program_id``):
mkt_voucher then issues each recipient's code right before their mail is
rendered, adaptive discount included, exactly as for a newsletter. A letter
step issues the codes of its batch before printing, and the letter prints the
participant's code below the text.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# The channels that can hand a personal code to the participant.
VOUCHER_CHANNELS = ("email", "letter")


class MktCampaignActivity(models.Model):
    _inherit = "mkt.campaign.activity"

    voucher_program_id = fields.Many2one(
        "loyalty.program",
        string="Voucher",
        compute="_compute_voucher_program_id",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,  # campaigns made from a template offer the same voucher
        check_company=True,
        index="btree_not_null",
        # The vouchers mkt_voucher sends by mail: its newsletters' own domain.
        domain=lambda self: self.env["mailing.mailing"]
        ._fields["mkt_voucher_program_id"]
        .domain,
        help="Each participant the step reaches gets a personal single-use code "
        "of this voucher, with their adaptive discount (those who hold an unused "
        "code of it keep that one). In the email template, put the placeholder "
        '<t t-out="object.mkt_voucher_code"/> where the code goes (and '
        '<t t-out="object.mkt_voucher_discount_text"/> for the discount); a '
        "letter prints the code below its text.",
    )

    @api.depends("activity_type")
    def _compute_voucher_program_id(self):
        # Only emails and letters can hand out a code: the other channels drop it.
        for activity in self:
            if activity.activity_type not in VOUCHER_CHANNELS:
                activity.voucher_program_id = False

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        if "voucher_program_id" not in vals:
            return super().write(vals)
        changed = self.filtered(
            lambda a: a.voucher_program_id.id != (vals["voucher_program_id"] or False)
        )
        changed._check_voucher_changeable()
        result = super().write(vals)
        # The step's mailing issues the codes: it follows the step. Only the
        # voucher changes, as sudo: who may edit the step may change its
        # voucher, even if not allowed to edit the mailing's dynamic body.
        for activity in changed.filtered("mailing_id"):
            activity.mailing_id.sudo().mkt_voucher_program_id = (
                activity.voucher_program_id
            )
        return result

    def _check_voucher_changeable(self):
        """Refuse a new voucher on a step that already reached participants:
        their codes are issued and their mails or letters are out. Test
        participants do not count, so a voucher can be corrected after a test.

        The step's open traces are locked first. A batch being sent right now
        holds some of them: the change waits for it, then fails to serialize
        and is retried, and the retry sees the batch sent. A batch starting
        after the lock skips these traces (SKIP LOCKED) and goes out with the
        new voucher on the next run.
        """
        if not self:
            return
        self.env["mkt.campaign.trace"].flush_model(["activity_id", "state"])
        self.env.cr.execute(
            SQL(
                """SELECT id FROM mkt_campaign_trace
                    WHERE activity_id = ANY(%s) AND state = 'scheduled'
                      FOR NO KEY UPDATE""",
                self.ids,
            )
        )
        sent = self.env["mkt.campaign.trace"]._read_group(
            [
                ("activity_id", "in", self.ids),
                ("state", "=", "processed"),
                ("participant_id.is_test", "=", False),
            ],
            ["activity_id"],
        )
        if sent:
            activity = sent[0][0]
            raise UserError(
                self.env._(
                    'Step "%(step)s" of campaign "%(campaign)s" has already reached '
                    'participants: its "%(field)s" can no longer change. Add a new '
                    "step with the other voucher instead.",
                    step=activity.name,
                    campaign=activity.campaign_id.name,
                    field=activity._mkt_field_label("voucher_program_id"),
                )
            )

    # ------------------------------------------------------------------
    # Execution
    # ------------------------------------------------------------------

    def _create_mailing(self):
        mailing = super()._create_mailing()
        if self.voucher_program_id:
            # sudo: see write(), only the voucher changes.
            mailing.sudo().mkt_voucher_program_id = self.voucher_program_id
        return mailing

    def _execute_letter(self, traces):
        """Issue the codes of the batch first: the letters print them."""
        program = self.voucher_program_id
        if program:
            program.sudo()._mkt_issue_codes(
                traces.participant_id.partner_id,
                self.env.ref("mkt_voucher.utm_source_print"),
            )
        return super()._execute_letter(traces)
