import json

from odoo import api, fields, models
from odoo.tools import SQL

from .mkt_recommendation import REASONS


class MktRecommendationMail(models.Model):
    """A product recommended to a customer in a mail: what, to whom, when.

    Written when the mail is created (``mail.compose.message``), so that what
    the recommendations earned can be measured (mkt_analytics) and so that
    products offered but not bought come up again (``offered``).
    """

    _name = "mkt.recommendation.mail"
    _description = "Recommendation Sent"
    _order = "sent_at desc, id desc"
    _log_access = False

    mailing_id = fields.Many2one(
        "mailing.mailing", string="Mailing", index=True, ondelete="cascade"
    )
    res_model = fields.Char(string="Recipient Model", required=True)
    res_id = fields.Integer(string="Recipient", required=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    product_id = fields.Many2one(
        "product.product", string="Product", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    reason = fields.Selection(REASONS)
    rank = fields.Integer()
    discount = fields.Float(
        string="Personal Discount (%)",
        digits=(5, 2),
        help="The customer's personal discount shown next to the price, if any.",
    )
    sent_at = fields.Datetime(string="Sent On", required=True)

    @api.model
    def _record_sent(self, mailing, model, res_ids, with_discount):
        """Record the current recommendations of the recipients ``res_ids`` of
        ``model`` as sent in ``mailing``: one statement for the batch. They are
        the rows the placeholders rendered (same table, same transaction)."""
        engine = self.env["mkt.recommendation.engine"]
        partners = engine._recipient_partners(model, res_ids)
        if not partners:
            return
        discounts = {}
        if with_discount:
            discounts = (
                self.env["res.partner"]
                .browse(set(partners.values()))
                ._mkt_recommendation_discounts()
            )
        company = self.env.company
        recipient_ids, partner_ids = zip(*partners.items(), strict=True)
        self.env["mkt.recommendation"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO mkt_recommendation_mail (
                    mailing_id, res_model, res_id, partner_id, product_id,
                    company_id, reason, rank, discount, sent_at)
                SELECT %(mailing)s, %(model)s, t.res_id, r.partner_id, r.product_id,
                       r.company_id, r.reason, r.rank,
                       (%(discounts)s::jsonb ->> r.partner_id::text)::numeric,
                       now() AT TIME ZONE 'UTC'
                  FROM unnest(%(recipient_ids)s::int[], %(partner_ids)s::int[])
                       AS t(res_id, partner_id)
                  JOIN mkt_recommendation r ON r.partner_id = t.partner_id
                   AND r.company_id = %(company)s AND r.rank <= %(count)s
                """,
                mailing=mailing.id or None,
                model=model,
                recipient_ids=list(recipient_ids),
                partner_ids=list(partner_ids),
                discounts=json.dumps({str(k): v for k, v in discounts.items() if v}),
                company=company.id,
                count=company.mkt_recommendation_count,
            )
        )
        self.invalidate_model()
