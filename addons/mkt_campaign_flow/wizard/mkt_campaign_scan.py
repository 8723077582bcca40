from markupsafe import Markup

from odoo import api, fields, models


class MktCampaignScan(models.TransientModel):
    """Register letter replies: scan the barcodes one by one (a scanner types
    the code and Enter) or paste a list of references."""

    _name = "mkt.campaign.scan"
    _description = "Scan Letter Responses"

    campaign_id = fields.Many2one("mkt.campaign", readonly=True)
    code = fields.Char(string="Scan", help="Scan a letter's barcode here.")
    codes = fields.Text(string="References", help="Or paste references, one per line.")
    result = fields.Html(readonly=True)
    registered_count = fields.Integer(readonly=True)
    already_count = fields.Integer(readonly=True)
    unknown_count = fields.Integer(readonly=True)

    @api.onchange("code")
    def _onchange_code(self):
        """A scanner types the code and Enter: collect it and clear the field
        for the next scan; Register then takes them all."""
        if self.code and self.code.strip():
            self.codes = "\n".join(filter(None, [self.codes, self.code.strip()]))
            self.code = False

    def action_register(self):
        self.ensure_one()
        codes = [c.strip() for c in (self.codes or "").splitlines() if c.strip()]
        if self.code and self.code.strip():
            codes.append(self.code.strip())
        Participant = self.env["mkt.campaign.participant"]
        lines = []
        counts = {"registered": 0, "already": 0, "unknown": 0}
        for code in codes:
            status, participant = Participant._register_response_by_barcode(code)
            counts[status] += 1
            if status == "unknown":
                lines.append(self.env._("%(code)s: unknown reference", code=code))
            elif status == "already":
                lines.append(
                    self.env._(
                        "%(code)s: %(partner)s had already replied",
                        code=code,
                        partner=participant.partner_id.display_name,
                    )
                )
            else:
                lines.append(
                    self.env._(
                        "%(code)s: reply of %(partner)s registered",
                        code=code,
                        partner=participant.partner_id.display_name,
                    )
                )
        self.write(
            {
                "code": False,
                "codes": False,
                "result": Markup("<br/>").join([*lines, self.result or ""]),
                "registered_count": self.registered_count + counts["registered"],
                "already_count": self.already_count + counts["already"],
                "unknown_count": self.unknown_count + counts["unknown"],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Scan Letter Responses"),
        }
