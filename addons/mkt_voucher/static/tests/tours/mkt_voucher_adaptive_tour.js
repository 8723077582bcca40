import { registry } from "@web/core/registry";

// Kerstin adds a win-back row to a voucher's adaptive discount table: lapsed
// customers get 25 % instead of the reward's 10 %.
registry.category("web_tour.tours").add("mkt_voucher_adaptive_tour", {
    steps: () => [
        {
            content: "Open the targeting tab",
            trigger: ".o_notebook a.nav-link:contains(Targeting)",
            run: "click",
        },
        {
            content: "The table explains how it is read",
            trigger: ".o_notebook:contains(the first rule from the top that matches)",
        },
        {
            content: "Add a row",
            trigger: "div[name='mkt_discount_rule_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Condition: trend",
            trigger: "div[name='mkt_discount_rule_ids'] .o_selected_row td[name='condition'] select",
            run: 'select "trend"',
        },
        {
            content: "Lapsed customers",
            trigger: "div[name='mkt_discount_rule_ids'] .o_selected_row td[name='trend'] select",
            run: 'select "lapsed"',
        },
        {
            content: "25 %",
            trigger: "div[name='mkt_discount_rule_ids'] .o_selected_row td[name='discount_percent'] input",
            run: "edit 25",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
    ],
});
