from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    mkt_accessory_product_ids = fields.Many2many(
        "product.product",
        "mkt_product_accessory_rel",
        "template_id",
        "product_id",
        string="Accessories",
        check_company=True,
        domain="[('sale_ok', '=', True)]",
        help="Recommended in mails to the customers who bought this product.",
    )
