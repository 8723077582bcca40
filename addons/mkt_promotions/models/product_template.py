from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    mkt_flatrate_months = fields.Integer(
        string="Shipping Flat Rate (Months)",
        help="Selling this product gives the customer a shipping flat rate for this "
        "many months (delivery methods of type Shipping flat rate).",
    )
