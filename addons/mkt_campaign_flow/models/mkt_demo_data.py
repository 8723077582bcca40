from odoo import models


class MktDemoData(models.AbstractModel):
    _inherit = "mkt.demo.data"

    def _generate_campaign_demo(self):
        """Filled in below."""
        return True
