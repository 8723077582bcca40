from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class MktRecommendationMixin(models.AbstractModel):
    """The placeholders of recommendations in mails, on the recipient models
    (customers, mailing contacts). In a mail template or a mailing's body::

        <t t-out="object.mkt_recommendation_html"/>
        <t t-out="object.mkt_recommendation_discount_html"/>

    or, in the mailing editor, "/" > Dynamic Placeholder > "Recommended
    Products". Computed for all the recipients of a batch at once."""

    _name = "mkt.recommendation.mixin"
    _description = "Recommended Products in Mails"

    mkt_recommendation_html = fields.Html(
        string="Recommended Products",
        compute="_compute_mkt_recommendation_html",
        # Searchable ("is set": has recommendations), which also makes the
        # field one the mail editor offers as a dynamic placeholder.
        search="_search_mkt_recommendation_html",
        sanitize=False,
        groups="base.group_user",
        help="Cards of the products recommended to the recipient, for mails.",
    )
    mkt_recommendation_discount_html = fields.Html(
        string="Recommended Products with Personal Discount",
        compute="_compute_mkt_recommendation_discount_html",
        search="_search_mkt_recommendation_html",
        sanitize=False,
        groups="base.group_user",
        help="Cards of the products recommended to the recipient, with their price "
        "after the recipient's personal discount, for mails.",
    )

    @api.depends_context("company", "lang")
    def _compute_mkt_recommendation_html(self):
        blocks = self.env["mkt.recommendation.engine"]._render_blocks(
            self._name, [record.id for record in self if record.id]
        )
        for record in self:
            record.mkt_recommendation_html = blocks.get(record.id, False)

    @api.depends_context("company", "lang")
    def _compute_mkt_recommendation_discount_html(self):
        blocks = self.env["mkt.recommendation.engine"]._render_blocks(
            self._name, [record.id for record in self if record.id], with_discount=True
        )
        for record in self:
            record.mkt_recommendation_discount_html = blocks.get(record.id, False)

    def _search_mkt_recommendation_html(self, operator, value):
        if operator not in ("=", "!=") or value:
            raise UserError(
                self.env._(
                    "Recommended products can only be filtered on whether a "
                    "recipient has any (is set / is not set)."
                )
            )
        recipients = self.env["mkt.recommendation.engine"]._recipients_sql(self._name)
        return [("id", "in" if operator == "!=" else "not in", SQL("(%s)", recipients))]
