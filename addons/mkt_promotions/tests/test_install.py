from odoo.tests import tagged

from odoo.addons.mkt_scoring.tests.common import MktCommon


@tagged("post_install", "-at_install", "mkt")
class TestInstall(MktCommon):
    def test_installed_under_the_marketing_app(self):
        module = self.env["ir.module.module"].search([("name", "=", "mkt_promotions")])
        self.assertEqual(module.state, "installed")
        section = self.env.ref("mkt_promotions.mkt_promotions_menu")
        self.assertEqual(section.parent_id, self.env.ref("mkt_scoring.mkt_menu_root"))
        entry = self.env.ref("mkt_promotions.mkt_promotions_menu_pricelists")
        self.assertIn(
            entry.id,
            self.env["ir.ui.menu"]
            .with_user(self.user_marketing_manager)
            ._visible_menu_ids(),
        )
