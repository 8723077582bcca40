from odoo import api, fields, models

from ..tools.discount import format_percent


class ResPartner(models.Model):
    _inherit = "res.partner"

    mkt_voucher_code = fields.Char(
        string="Voucher Code",
        compute="_compute_mkt_voucher_code",
        help="In a newsletter with a voucher: the recipient's unused code of it.",
    )
    mkt_voucher_discount = fields.Float(
        string="Voucher Discount (%)",
        compute="_compute_mkt_voucher_code",
        help="In a newsletter with a voucher: the discount recorded on the "
        "recipient's code when the voucher has an adaptive discount (else 0).",
    )
    mkt_voucher_discount_text = fields.Char(
        string="Voucher Discount",
        compute="_compute_mkt_voucher_code",
        help='The same as a text for mails, e.g. "15 %".',
    )
    mkt_subscription_ids = fields.One2many(
        "mkt.newsletter.subscription",
        "partner_id",
        string="Newsletter Consents",
        groups="mkt_scoring.mkt_group_user,sales_team.group_sale_salesman",
    )

    @api.depends_context("mkt_voucher_program_id")
    def _compute_mkt_voucher_code(self):
        program_id = self.env.context.get("mkt_voucher_program_id")
        cards = {}
        if program_id:
            found = (
                self.env["loyalty.card"]
                .sudo()
                .search(
                    [
                        ("program_id", "=", program_id),
                        ("partner_id", "in", self.ids),
                        ("points", ">", 0),
                    ],
                    order="id",
                )
            )
            cards = {card.partner_id.id: card for card in found}
        for partner in self:
            card = cards.get(partner.id)
            partner.mkt_voucher_code = card.code if card else False
            percent = card.mkt_discount_percent if card else 0.0
            partner.mkt_voucher_discount = percent
            partner.mkt_voucher_discount_text = (
                format_percent(self.env, percent) if percent else False
            )

    def _mkt_personal_discount(self):
        """The best adaptive discount each partner of ``self`` can still use.

        Among the open codes with a recorded adaptive discount (points left, not
        expired, of an active program that has not ended) issued to the partner
        or to its company, the one with the highest discount (then the one that
        expires first). For mail templates and recommendations: set-based, one
        query for all partners, no access rights needed.

        :return: {partner id: (percent, code)} for the partners that have one
        """
        if not self:
            return {}
        today = fields.Date.context_today(self)
        partners = self.sudo()
        holder_ids = (partners | partners.commercial_partner_id).ids
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", holder_ids),
                    ("mkt_discount_adaptive", "=", True),
                    ("mkt_discount_percent", ">", 0),
                    ("points", ">", 0),
                    ("program_id.active", "=", True),
                    "|",
                    ("expiration_date", "=", False),
                    ("expiration_date", ">=", today),
                    "|",
                    ("program_id.date_from", "=", False),
                    ("program_id.date_from", "<=", today),
                    "|",
                    ("program_id.date_to", "=", False),
                    ("program_id.date_to", ">=", today),
                ],
                order="mkt_discount_percent desc, expiration_date asc, id",
            )
        )
        best = {}  # holder id: (rank, card), the cards coming best first
        for rank, card in enumerate(cards):
            best.setdefault(card.partner_id.id, (rank, card))
        result = {}
        for partner in partners:
            candidates = [
                best[holder]
                for holder in (partner.id, partner.commercial_partner_id.id)
                if holder in best
            ]
            if candidates:
                card = min(candidates, key=lambda candidate: candidate[0])[1]
                result[partner.id] = (card.mkt_discount_percent, card.code)
        return result

    def _mkt_recommendation_discounts(self):
        """Recommended products show the discount of the customer's open
        adaptive voucher code (``_mkt_personal_discount``): what the customer
        was promised, not what the rules would say today."""
        discounts = super()._mkt_recommendation_discounts()
        for partner_id, (percent, _code) in self._mkt_personal_discount().items():
            discounts.setdefault(partner_id, percent)
        return discounts
