from odoo import api, models

TOP_ROWS = 8


class MktPerformanceReport(models.Model):
    _inherit = "mkt.performance.report"

    @api.model
    def get_dashboard_data(self):
        """The key figures of the Marketing dashboard, in a handful of grouped
        reads (each on a model the user may read, under the record rules)."""
        self.check_access("read")
        company = self.env.company
        totals = self._read_group(
            [("company_id", "in", [company.id, False])],
            [],
            ["orders:sum", "revenue:sum", "cost:sum", "roi:sum"],
        )[0]
        fields = [
            "touch_kind",
            "name",
            "recipients",
            "orders",
            "revenue",
            "cost",
            "roi",
            "revenue_per_recipient",
        ]
        roi_rows = self.search_read(
            [("touch_kind", "=", "promotion"), ("cost", ">", 0)], fields
        )
        for campaign, revenue, cost, roi in self._read_group(
            [("touch_kind", "=", "campaign"), ("campaign_id", "!=", False)],
            ["campaign_id"],
            ["revenue:sum", "cost:sum", "roi:sum"],
        ):
            if cost > 0:
                roi_rows.append(
                    {
                        "id": -campaign.id,
                        "campaign_id": campaign.id,
                        "touch_kind": "campaign",
                        "name": campaign.name,
                        "revenue": revenue,
                        "cost": cost,
                        "roi": roi,
                    }
                )
        roi_rows.sort(key=lambda row: -(row["roi"] or 0))
        roi_rows = roi_rows[:TOP_ROWS]
        mailings = self.search_read(
            [("touch_kind", "=", "mailing"), ("recipients", ">", 0)],
            fields,
            order="revenue_per_recipient desc",
            limit=TOP_ROWS,
        )
        vouchers = self.search_read(
            [("touch_kind", "=", "voucher")],
            fields,
            order="revenue desc",
            limit=TOP_ROWS,
        )
        Score = self.env["mkt.customer.score"]
        classes = [
            {"id": klass.id, "name": klass.name, "color": klass.color, "count": count}
            for klass, count in Score._read_group(
                [("company_id", "=", company.id), ("class_id", "!=", False)],
                ["class_id"],
                ["__count"],
            )
        ]
        classes.sort(key=lambda row: -row["count"])
        trend_labels = dict(Score._fields["trend"]._description_selection(self.env))
        trends = [
            {"code": trend, "name": trend_labels[trend], "count": count}
            for trend, count in Score._read_group(
                [("company_id", "=", company.id), ("trend", "!=", False)],
                ["trend"],
                ["__count"],
            )
        ]
        demand = [
            {
                "id": promotion.id,
                "name": promotion.display_name,
                "planned": planned,
                "actual": actual,
            }
            for promotion, planned, actual in self.env[
                "mkt.promotion.report"
            ]._read_group(
                [("company_id", "=", company.id)],
                ["promotion_id"],
                ["planned_qty:sum", "actual_qty:sum"],
                order="promotion_id desc",
                limit=TOP_ROWS,
            )
        ]
        return {
            "currency_id": company.currency_id.id,
            "totals": {
                "orders": totals[0],
                "revenue": totals[1],
                "cost": totals[2],
                "roi": totals[3],
            },
            "roi_rows": roi_rows,
            "mailings": mailings,
            "vouchers": vouchers,
            "classes": classes,
            "trends": trends,
            "demand": demand,
        }
