from odoo import api, models


class MktDemoData(models.AbstractModel):
    _inherit = "mkt.demo.data"

    @api.model
    def _generate_pos(self):
        return
