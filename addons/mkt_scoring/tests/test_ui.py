from odoo.tests import HttpCase, tagged

from .common import MktCommon


@tagged("post_install", "-at_install", "mkt")
class TestMarketingAppUi(HttpCase, MktCommon):
    def test_marketing_app_tour(self):
        self.start_tour("/odoo", "mkt_marketing_app_tour", login="mkt_manager")
