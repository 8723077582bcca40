from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MktCommon


@tagged("post_install", "-at_install", "mkt")
class TestInstall(MktCommon):
    def test_module_installed_with_its_app(self):
        module = self.env["ir.module.module"].search([("name", "=", "mkt_scoring")])
        self.assertEqual(module.state, "installed")
        root = self.env.ref("mkt_scoring.mkt_menu_root")
        self.assertEqual(root.name, "Marketing")
        self.assertFalse(root.parent_id, "Marketing is a top-level app")

    def test_groups_hierarchy(self):
        user_group = self.env.ref("mkt_scoring.mkt_group_user")
        manager_group = self.env.ref("mkt_scoring.mkt_group_manager")
        self.assertEqual(user_group.full_name, "Marketing / User")
        self.assertEqual(manager_group.full_name, "Marketing / Manager")
        self.assertIn(user_group, manager_group.implied_ids)
        self.assertTrue(
            self.user_marketing_manager.has_group("mkt_scoring.mkt_group_user")
        )
        self.assertTrue(
            self.env.ref("base.user_admin").has_group("mkt_scoring.mkt_group_manager")
        )

    def test_salesman_keeps_sales_rights_without_marketing_group(self):
        self.assertFalse(self.user_salesman.has_group("mkt_scoring.mkt_group_user"))
        self.assertTrue(self.user_marketing.has_group("sales_team.group_sale_salesman"))
        order = (
            self.env["sale.order"]
            .with_user(self.user_salesman)
            .create(
                {
                    "partner_id": self.env["res.partner"]
                    .create({"name": "Walk-in"})
                    .id,
                    "order_line": [(0, 0, {"product_id": self.product_cheese.id})],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_marketing_app_visible_per_role(self):
        root = self.env.ref("mkt_scoring.mkt_menu_root")
        configuration = self.env.ref("mkt_scoring.mkt_menu_configuration")
        Menu = self.env["ir.ui.menu"]
        manager_menus = Menu.with_user(self.user_marketing_manager)._visible_menu_ids()
        user_menus = Menu.with_user(self.user_marketing)._visible_menu_ids()
        self.assertIn(root.id, manager_menus)
        self.assertIn(configuration.id, manager_menus)
        self.assertIn(root.id, user_menus)
        self.assertNotIn(configuration.id, user_menus, "configuration is for managers")
        portal = self.env["res.users"].create(
            {
                "name": "Portal",
                "login": "mkt_portal",
                "groups_id": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        with self.assertRaises(AccessError):
            Menu.with_user(portal)._visible_menu_ids()
