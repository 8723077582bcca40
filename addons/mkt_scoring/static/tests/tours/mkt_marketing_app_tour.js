import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A marketing manager finds the Marketing app and its customer classes.
registry.category("web_tour.tours").add("mkt_marketing_app_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='mkt_scoring.mkt_menu_root']",
            content: "Open the Marketing app",
            run: "click",
        },
        {
            trigger: ".o_main_navbar .o_menu_brand:contains(Marketing)",
        },
        {
            trigger: "button[data-menu-xmlid='mkt_scoring.mkt_menu_configuration']",
            content: "Open the configuration menu",
            run: "click",
        },
        {
            trigger: "a[data-menu-xmlid='mkt_scoring.mkt_customer_class_menu']",
            content: "Open the customer classes",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td[name=name]:contains('A - Top customer')",
        },
    ],
});
