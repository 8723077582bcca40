from odoo import api, fields, models
from odoo.exceptions import AccessError

# Why a product is recommended, strongest first (see mkt.recommendation.engine).
REASONS = [
    ("accessory", "Accessory"),
    ("bought_together", "Customers also bought"),
    ("offered", "Offered, not bought yet"),
    ("same_category", "Same category"),
]


class MktRecommendation(models.Model):
    """The products recommended to a customer, as the last refresh found them.

    Written by ``mkt.recommendation.engine`` with SQL, one batch of customers
    at a time; read by the placeholders of mails (``mkt.recommendation.mixin``).
    """

    _name = "mkt.recommendation"
    _description = "Product Recommendation"
    _order = "partner_id, rank, id"
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    product_id = fields.Many2one(
        "product.product", string="Product", required=True, ondelete="cascade"
    )
    categ_id = fields.Many2one(related="product_id.categ_id")
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    reason = fields.Selection(REASONS, required=True)
    score = fields.Float(
        digits=(16, 3),
        help="Accessories 3, bought together 2 plus the share of the buyers of the "
        "customer's product who also bought this one, offered 1, same category "
        "the product's popularity in its category (0 to 1).",
    )
    rank = fields.Integer(help="1 for the best recommendation of the customer.")
    computed_on = fields.Date(string="Computed On", required=True)

    _sql_constraints = [
        (
            "partner_product_company_uniq",
            "UNIQUE(partner_id, product_id, company_id)",
            "A product is recommended to a customer once per company.",
        ),
    ]

    @api.model
    def action_refresh(self):
        """Refresh the current company's recommendations in the background."""
        if not self.env.user.has_group("mkt_scoring.mkt_group_manager"):
            raise AccessError(
                self.env._("Only marketing managers can refresh the recommendations.")
            )
        self.env["mkt.recommendation.engine"]._request_refresh(self.env.company)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "The recommendations are being refreshed in the background."
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
