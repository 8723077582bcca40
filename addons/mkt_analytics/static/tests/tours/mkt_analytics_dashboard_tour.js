import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("mkt_analytics_dashboard_tour", {
    url: "/odoo/action-mkt_analytics.mkt_dashboard_action",
    steps: () => [
        {
            content: "The dashboard shows the attributed revenue",
            trigger: ".o_mkt_dashboard .o_mkt_kpi_revenue:contains(45.00)",
        },
        {
            content: "The promotion with its ROI",
            trigger: ".o_mkt_dashboard_roi tr:contains(K26):contains(-43.75)",
        },
        {
            content: "The mailing by revenue per recipient",
            trigger: ".o_mkt_dashboard_mailings tr:contains(Autumn delicacies)",
        },
        {
            content: "Open the performance report from a row",
            trigger: ".o_mkt_dashboard_roi tr:contains(K26)",
            run: "click",
        },
        {
            content: "The report row of the promotion",
            trigger: ".o_list_view .o_data_row:contains(K26)",
        },
        {
            content: "Drill down to its orders",
            trigger: ".o_data_row:contains(K26) button[name=action_open_orders]",
            run: "click",
        },
        {
            content: "The promotion's order",
            trigger: ".o_list_view .o_data_row:contains(Bert Krause)",
        },
    ],
});
