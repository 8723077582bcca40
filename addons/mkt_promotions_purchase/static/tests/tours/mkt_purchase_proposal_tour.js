import { registry } from "@web/core/registry";

// A buyer proposes the purchase for a promotion action: the preview shows the
// plan net of stock, the buyer raises a quantity and creates the orders, one
// per vendor, reachable from the action. Data: tests/test_ui.py.
registry.category("web_tour.tours").add("mkt_purchase_proposal_tour", {
    steps: () => [
        {
            trigger: ".o_form_view button[name='action_propose_purchase']:visible",
            content: "Propose the purchase for the action's plan",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row:contains(Olive oil):contains(30.00):contains(70.00)",
            content: "30 on hand, 70 not covered",
        },
        {
            trigger: ".modal .o_data_row:contains(Olive oil) td[name='purchase_qty']",
            content: "Change the quantity to order",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row:contains(Olive oil) td[name='purchase_qty'] input",
            run: "edit 72",
        },
        {
            trigger: ".modal footer button[name='action_create_purchase_orders']",
            content: "Create the orders",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Olivenhof Kalamata GmbH)",
            content: "One order per vendor, linked to the action",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Weinkontor Rheinhessen GmbH)",
        },
    ],
});
