import { registry } from "@web/core/registry";

// A buyer proposes the purchase for a campaign's expected orders: the offered
// articles tab shows the expectation, the preview nets it against stock, the
// buyer creates the orders, one per vendor. Data: tests/test_ui.py.
registry.category("web_tour.tours").add("mkt_campaign_purchase_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_notebook a:contains(Offered Articles)",
            content: "The campaign's offer and expected orders",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='expected_order_count']:contains(3)",
            content: "6 customers in the segment, 50 % expected to order",
        },
        {
            trigger: ".o_field_widget[name='product_ids'] .o_data_row:contains(Olive oil):contains(120.00)",
            content: "40 per order",
        },
        {
            trigger: ".o_form_view button[name='action_propose_purchase']:visible",
            content: "Propose the purchase for the expected orders",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row:contains(Olive oil):contains(50.00):contains(70.00)",
            content: "50 on hand, 70 not covered",
        },
        {
            trigger: ".modal footer button[name='action_create_purchase_orders']",
            content: "Create the orders",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Olivenhof Kalamata GmbH):contains(Olive oil launch)",
            content: "One order per vendor, with the campaign as source document",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Weinkontor Rheinhessen GmbH)",
        },
    ],
});
