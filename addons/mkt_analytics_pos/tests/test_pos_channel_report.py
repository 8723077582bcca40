from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import PosCommon


@tagged("post_install", "-at_install", "mkt")
class TestPosChannelReport(PosCommon):
    """Products by Channel: POS shops and stores next to the sales teams."""

    def report_rows(self, groupby):
        action = self.env.ref("mkt_analytics.mkt_sale_report_channel_action")
        self.env.flush_all()
        return {
            tuple(
                value.display_name if hasattr(value, "display_name") else value
                for value in row[:-2]
            ): tuple(row[-2:])
            for row in self.env["sale.report"]._read_group(
                [*safe_eval(action.domain), ("company_id", "=", self.company.id)],
                groupby,
                ["product_uom_qty:sum", "price_subtotal:sum"],
            )
        }

    def test_best_sellers_per_shop_and_store(self):
        self.pos_order(
            self.anna, [(self.product_cheese, 2, 20.0), (self.product_wine, 1, 15.0)]
        )
        self.pos_order(self.bert, [(self.product_cheese, 1, 20.0)], state="done")
        self.pos_order(False, [(self.product_cheese, 1, 20.0)], state="invoiced")
        self.pos_order(self.anna, [(self.product_wine, 5, 15.0)], state="draft")
        self.pos_order(self.anna, [(self.product_wine, 5, 15.0)], state="cancel")
        self.confirm_order(self.anna, [(self.product_wine, 3)])
        rows = self.report_rows(["pos_config_id", "product_id"])
        self.assertEqual(
            rows,
            {
                ("Laden Hamburg", "Comté 18 months"): (4.0, 80.0),
                ("Laden Hamburg", "Riesling Spätlese"): (1.0, 15.0),
                (False, "Riesling Spätlese"): (3.0, 45.0),
            },
            "paid, posted and invoiced POS orders count, with or without a "
            "customer; draft and cancelled ones do not",
        )
        stores = self.report_rows(["warehouse_id"])
        self.assertEqual(stores[("Filiale Hamburg",)], (5.0, 95.0))

    def test_refunds_reduce_the_shop_figures(self):
        self.pos_order(self.anna, [(self.product_cheese, 2, 20.0)])
        self.pos_order(self.anna, [(self.product_cheese, -1, 20.0)])
        rows = self.report_rows(["pos_config_id", "product_id"])
        self.assertEqual(rows, {("Laden Hamburg", "Comté 18 months"): (1.0, 20.0)})

    def test_the_pivot_shows_the_shops_below_the_channels(self):
        action = self.env.ref("mkt_analytics.mkt_sale_report_channel_action")
        [(view_id, view_type)] = [
            (view.view_id, view.view_mode) for view in action.view_ids
        ]
        self.assertEqual(view_type, "pivot")
        arch = self.env["sale.report"].get_views([(view_id.id, "pivot")])["views"][
            "pivot"
        ]["arch"]
        self.assertRegex(
            arch,
            r'name="team_id" type="col"/>\s*<field name="pos_config_id" type="col"',
        )

    def test_other_company_shops_are_not_shown(self):
        company_south = self.env["res.company"].create({"name": "Feinkost Süd GmbH"})
        store_south = self.env["stock.warehouse"].search(
            [("company_id", "=", company_south.id)], limit=1
        )
        shop_south = self.create_shop("Laden München", store_south, company_south)
        self.pos_order(self.anna, [(self.product_cheese, 1, 20.0)], shop=shop_south)
        self.pos_order(self.anna, [(self.product_cheese, 1, 20.0)])
        self.env.flush_all()
        # A user of the main company (record rules apply).
        Report = self.env["sale.report"].with_user(self.env.ref("base.user_admin"))
        shops = {shop for (shop,) in Report._read_group([], ["pos_config_id"])}
        self.assertEqual(shops, {self.shop})
