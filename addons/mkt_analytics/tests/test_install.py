from odoo.tests import tagged

from odoo.addons.mkt_analytics import _uninstall_drop_trace_indexes
from odoo.addons.mkt_scoring.tests.common import MktCommon


@tagged("post_install", "-at_install", "mkt")
class TestInstall(MktCommon):
    def test_installed_under_the_marketing_app(self):
        module = self.env["ir.module.module"].search([("name", "=", "mkt_analytics")])
        self.assertEqual(module.state, "installed")
        section = self.env.ref("mkt_scoring.mkt_menu_reporting")
        self.assertEqual(section.parent_id, self.env.ref("mkt_scoring.mkt_menu_root"))
        entry = self.env.ref("mkt_analytics.mkt_analytics_menu_sales")
        self.assertIn(
            entry.id,
            self.env["ir.ui.menu"]
            .with_user(self.user_marketing_manager)
            ._visible_menu_ids(),
        )

    def test_uninstall_drops_the_indexes_the_attribution_added(self):
        names = (
            "mailing_trace_mkt_partner_event_idx",
            "mailing_trace_mkt_click_idx",
            "mailing_trace_mkt_email_idx",
            "sale_order_line_mkt_reward_idx",
        )

        def existing():
            self.env.cr.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname IN %s", [names]
            )
            return {row[0] for row in self.env.cr.fetchall()}

        self.assertEqual(existing(), set(names))
        _uninstall_drop_trace_indexes(self.env)
        self.assertFalse(existing())
