from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class MktSegmentMailingList(models.TransientModel):
    """Add customers (of a segment or of an analysis line) to a mailing list.

    Each email address is added once: addresses already on the list are
    skipped (opted-out ones stay opted out), an existing mailing contact with
    the address is subscribed rather than duplicated, and customers sharing an
    address give one contact.
    """

    _name = "mkt.segment.mailing.list"
    _description = "Add Customers to a Mailing List"

    segment_id = fields.Many2one("mkt.segment", ondelete="cascade")
    analysis_line_id = fields.Many2one("mkt.score.analysis.line", ondelete="cascade")
    mailing_list_id = fields.Many2one(
        "mailing.list", help="Leave empty to create a new list."
    )
    new_list_name = fields.Char(string="New List Name")

    @api.model
    def _open_for(self, segment=None, analysis_line=None):
        """The wizard's action for ``segment`` or ``analysis_line``."""
        if not self.env.user.has_group("mass_mailing.group_mass_mailing_user"):
            raise UserError(
                self.env._(
                    "Adding customers to a mailing list needs the Email Marketing "
                    "access right: ask your administrator."
                )
            )
        name = segment.name if segment else analysis_line._get_selection_name()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Add to Mailing List"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_segment_id": segment.id if segment else False,
                "default_analysis_line_id": analysis_line.id
                if analysis_line
                else False,
                "default_new_list_name": name,
            },
        }

    def action_add(self):
        self.ensure_one()
        mailing_list, added = self._add_to_mailing_list()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s contacts added to the mailing list %(list)s.",
                    count=added,
                    list=mailing_list.name,
                ),
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _add_to_mailing_list(self):
        """Return the mailing list and the number of contacts added to it."""
        self.ensure_one()
        if not self.mailing_list_id and not self.new_list_name:
            raise UserError(
                self.env._("Choose a mailing list or name the list to create.")
            )
        source = self.segment_id or self.analysis_line_id
        if not source:
            raise UserError(self.env._("There are no customers to add."))
        rows = self._get_new_subscribers(
            source._get_partner_query(), self.mailing_list_id
        )
        if not rows and not self.mailing_list_id:
            # Nothing half-done: no empty list for a selection without emails.
            raise UserError(
                self.env._(
                    "None of the selected customers has an email address: no list "
                    "was created."
                )
            )
        mailing_list = self.mailing_list_id or self.env["mailing.list"].create(
            {"name": self.new_list_name}
        )
        quiet = {"tracking_disable": True, "mail_create_nolog": True}
        # Through the many2many (not mailing.subscription) so that the ORM
        # keeps both sides of the relation up to date.
        mailing_list.with_context(**quiet).write(
            {
                "contact_ids": [
                    fields.Command.link(row["contact_id"])
                    for row in rows
                    if row["contact_id"]
                ]
            }
        )
        self.env["mailing.contact"].with_context(**quiet).create(
            [
                {
                    "name": row["name"],
                    "email": row["email"],
                    "country_id": row["country_id"],
                    "list_ids": [fields.Command.link(mailing_list.id)],
                }
                for row in rows
                if not row["contact_id"]
            ]
        )
        return mailing_list, len(rows)

    def _get_new_subscribers(self, partner_query, mailing_list):
        """One row per email address of the customers that is not yet on
        ``mailing_list``: the first customer with the address and the mailing
        contact to reuse, if one has it already."""
        self.env["res.partner"].flush_model(["email_normalized"])
        self.env["mailing.contact"].flush_model(["email_normalized"])
        self.env["mailing.subscription"].flush_model(["contact_id", "list_id"])
        return self.env.execute_query_dict(
            SQL(
                """
                WITH members AS (
                    SELECT DISTINCT ON (p.email_normalized)
                           p.id, p.name, p.email, p.email_normalized, p.country_id
                      FROM res_partner p
                     WHERE p.id IN %(members)s AND p.email_normalized IS NOT NULL
                     ORDER BY p.email_normalized, p.id
                )
                SELECT m.id, m.name, m.email, m.country_id,
                       (SELECT min(c.id) FROM mailing_contact c
                         WHERE c.email_normalized = m.email_normalized) AS contact_id
                  FROM members m
                 WHERE NOT EXISTS (
                        SELECT 1 FROM mailing_subscription s
                          JOIN mailing_contact c ON c.id = s.contact_id
                         WHERE s.list_id = %(list)s
                           AND c.email_normalized = m.email_normalized)
                 ORDER BY m.id
                """,
                members=partner_query.subselect(),
                list=mailing_list.id or None,
            )
        )
