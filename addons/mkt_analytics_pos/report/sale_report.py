from odoo import fields, models


class SaleReport(models.Model):
    """The point of sale shop of the POS lines of the sales analysis (pos_sale
    puts them there): the channel of "Products by Channel" next to the sales
    team, and the store (``warehouse_id``) as the place."""

    _inherit = "sale.report"

    pos_config_id = fields.Many2one("pos.config", string="Point of Sale", readonly=True)

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        res["pos_config_id"] = "NULL::integer"
        return res

    def _available_additional_pos_fields(self):
        res = super()._available_additional_pos_fields()
        res["pos_config_id"] = "config.id"
        return res

    def _group_by_pos(self):
        return f"""{super()._group_by_pos()},
            config.id"""
