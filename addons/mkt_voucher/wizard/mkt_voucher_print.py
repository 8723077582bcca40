"""Code sheets: N single-use codes of a voucher, as a PDF for a print shop
(codes with barcodes) and as a CSV file."""

import base64
import csv
import io

from odoo import api, fields, models
from odoo.exceptions import ValidationError

MAX_CODES = 10000


class MktVoucherPrint(models.TransientModel):
    _name = "mkt.voucher.print"
    _description = "Print Voucher Codes"

    program_id = fields.Many2one(
        "loyalty.program",
        string="Voucher",
        required=True,
        domain="[('program_type', '=', 'coupons')]",
    )
    quantity = fields.Integer(string="Number of Codes", default=100, required=True)
    source_id = fields.Many2one(
        "utm.source",
        string="Channel",
        required=True,
        default=lambda self: self.env.ref(
            "mkt_voucher.utm_source_print", raise_if_not_found=False
        ),
    )
    expiration_date = fields.Date(
        string="Valid Until",
        compute="_compute_expiration_date",
        store=True,
        readonly=False,
        precompute=True,
    )
    order_id = fields.Many2one(
        "sale.order",
        string="For Order",
        help="Enclose the codes with this order: they are reserved for its customer.",
    )
    card_ids = fields.Many2many("loyalty.card", string="Codes", readonly=True)
    csv_file = fields.Binary(string="CSV File", readonly=True, attachment=False)
    csv_filename = fields.Char(compute="_compute_csv_filename")

    @api.depends("program_id")
    def _compute_expiration_date(self):
        for wizard in self:
            wizard.expiration_date = wizard.program_id.date_to

    @api.depends("program_id")
    def _compute_csv_filename(self):
        for wizard in self:
            wizard.csv_filename = f"{wizard.program_id.name or 'codes'}.csv"

    @api.constrains("quantity")
    def _check_quantity(self):
        for wizard in self:
            if not 1 <= wizard.quantity <= MAX_CODES:
                raise ValidationError(
                    self.env._(
                        'Print codes of "%(program)s": the "%(field)s" must be '
                        "between 1 and %(max)s.",
                        program=wizard.program_id.name,
                        field=self._mkt_field_label("quantity"),
                        max=MAX_CODES,
                    )
                )

    @api.constrains("program_id")
    def _check_program(self):
        for wizard in self:
            if wizard.program_id.program_type != "coupons":
                raise ValidationError(
                    self.env._(
                        'Print codes: "%(program)s" does not use single-use codes; '
                        "choose a voucher of type Coupons.",
                        program=wizard.program_id.name,
                    )
                )

    @api.model
    def _open_for(self, program, order=None):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Print Voucher Codes"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_program_id": program.id if program else False,
                "default_order_id": order.id if order else False,
                "default_quantity": 1 if order else 100,
            },
        }

    def _generate_cards(self):
        """Create the codes once: printing and exporting give the same codes."""
        self.ensure_one()
        if self.card_ids:
            return self.card_ids
        program = self.program_id
        partner = self.order_id.partner_id
        cards = (
            self.env["loyalty.card"]
            .with_context(loyalty_no_mail=True, tracking_disable=True)
            .create(
                [
                    {
                        "program_id": program.id,
                        "points": min(program.reward_ids.mapped("required_points")),
                        "expiration_date": self.expiration_date,
                        "mkt_source_id": self.source_id.id,
                        "partner_id": partner.id,
                        "order_id": self.order_id.id,
                    }
                    for _number in range(self.quantity)
                ]
            )
        )
        self.card_ids = cards
        return cards

    def action_print(self):
        self.ensure_one()
        cards = self._generate_cards()
        return self.env.ref("mkt_voucher.action_report_voucher_sheet").report_action(
            cards
        )

    def action_export_csv(self):
        self.ensure_one()
        cards = self._generate_cards()
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(
            [
                self.env._("Code"),
                self.env._("Voucher"),
                self.env._("Reward"),
                self.env._("Valid Until"),
                self.env._("Channel"),
            ]
        )
        for card in cards:
            writer.writerow(
                [
                    card.code,
                    card.program_id.name,
                    " / ".join(card.program_id.reward_ids.mapped("description")),
                    card.expiration_date or "",
                    card.mkt_source_id.name or "",
                ]
            )
        # With a BOM, spreadsheet programs read the umlauts right.
        self.csv_file = base64.b64encode(buffer.getvalue().encode("utf-8-sig"))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/csv_file/"
            f"{self.csv_filename}?download=true",
            "target": "self",
        }
