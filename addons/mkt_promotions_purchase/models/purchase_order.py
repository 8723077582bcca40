from odoo import fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    mkt_promotion_id = fields.Many2one(
        "mkt.promotion",
        string="Promotion Action",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
        help="The promotion action whose planned demand this order was proposed for.",
    )

    def action_view_mkt_promotion(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mkt.promotion",
            "view_mode": "form",
            "res_id": self.mkt_promotion_id.id,
        }
