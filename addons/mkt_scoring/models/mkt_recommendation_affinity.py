from odoo import fields, models


class MktRecommendationAffinity(models.Model):
    """How many customers bought two products in the recommendation period.

    Rebuilt once per company and day by the first batch of the refresh. A row
    of a product with itself holds the number of its buyers (its popularity).
    """

    _name = "mkt.recommendation.affinity"
    _description = "Products Bought Together"
    _order = "product_id, confidence desc, id"
    _log_access = False

    product_id = fields.Many2one(
        "product.product", required=True, index=True, ondelete="cascade"
    )
    related_product_id = fields.Many2one(
        "product.product",
        string="Also Bought",
        required=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    support = fields.Integer(
        string="Customers", help="Customers who bought both products in the period."
    )
    confidence = fields.Float(
        digits=(16, 4),
        help="Share of the buyers of the product who also bought the other one.",
    )
