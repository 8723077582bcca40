from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # The customer's quality for the quality Q next to the customer at order entry.
    # Same names as on res.partner, so that the Q widget and its field
    # dependencies serve both models.
    mkt_score = fields.Integer(
        string="Quality Score", compute="_compute_mkt_quality", groups="base.group_user"
    )
    mkt_class_id = fields.Many2one(
        "mkt.customer.class",
        string="Customer Class",
        compute="_compute_mkt_quality",
        groups="base.group_user",
    )
    mkt_class_color = fields.Char(
        string="Class Colour", compute="_compute_mkt_quality", groups="base.group_user"
    )
    mkt_score_date = fields.Date(
        string="Scored On", compute="_compute_mkt_quality", groups="base.group_user"
    )
    mkt_score_summary = fields.Json(
        string="Score Summary", compute="_compute_mkt_quality", groups="base.group_user"
    )

    # Not related fields: scores are company-dependent, and an order shows the
    # score its own company gave, whichever company the user has active.
    @api.depends("partner_id", "company_id")
    @api.depends_context("lang")
    def _compute_mkt_quality(self):
        for order in self:
            customer = order.partner_id.commercial_partner_id.with_company(
                order.company_id
            )
            order.mkt_score = customer.mkt_score
            order.mkt_class_id = customer.mkt_class_id
            order.mkt_class_color = customer.mkt_class_color
            order.mkt_score_date = customer.mkt_score_date
            order.mkt_score_summary = customer.mkt_score_summary
