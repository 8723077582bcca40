import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import {
    formatFloat,
    formatMonetary,
    formatPercentage,
} from "@web/views/fields/formatters";

/**
 * The Marketing dashboard: ROI per campaign and promotion, best mailings by
 * revenue per recipient, voucher redemption, customers per quality class and
 * trend, planned against actual demand. Every card opens the report behind it.
 */
export class MktDashboard extends Component {
    static template = "mkt_analytics.MktDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null });
        onWillStart(async () => {
            this.state.data = await this.orm.call(
                "mkt.performance.report",
                "get_dashboard_data",
                []
            );
        });
    }

    money(value) {
        return formatMonetary(value || 0, { currencyId: this.state.data.currency_id });
    }

    percent(value) {
        return value === false || value === null ? "–" : formatPercentage(value);
    }

    number(value) {
        return formatFloat(value || 0, { digits: [16, 0] });
    }

    openPerformance(kind) {
        const context = kind ? { [`search_default_filter_${kind}`]: 1 } : {};
        this.action.doAction("mkt_analytics.mkt_performance_report_action", {
            additionalContext: context,
        });
    }

    openPerformanceRow(row) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: row.name,
            res_model: "mkt.performance.report",
            views: [[false, "list"]],
            // A campaign's line stands for all its rows (steps and the campaign).
            domain: row.campaign_id
                ? [["campaign_id", "=", row.campaign_id]]
                : [["id", "=", row.id]],
        });
    }

    openAction(xmlId) {
        this.action.doAction(xmlId);
    }

    get title() {
        return _t("Marketing Dashboard");
    }
}

registry.category("actions").add("mkt_analytics.dashboard", MktDashboard);
