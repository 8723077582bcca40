import { registry } from "@web/core/registry";

// Order entry by a salesperson: a wrong code is refused with its reason, the
// customer's catalog reference applies the action's price and benefits.
// Data: tests/test_ui.py.
registry.category("web_tour.tours").add("mkt_promotions_order_entry_tour", {
    steps: () => [
        {
            trigger: ".o_form_view div[name='mkt_promotion_code'] input",
            content: "Type a code that does not exist",
            run: "edit NOPE && click body",
        },
        {
            trigger: ".modal:contains(Promotion code not applied):contains(is unknown) .btn-primary",
            content: "The code is refused with its reason",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name='mkt_promotion_code'] input",
            content: "Type the reference printed on the catalog",
            run: "edit k26-0815 && click body",
        },
        {
            trigger: ".o_form_view div[name='mkt_promotion_id']:contains(Autumn catalog)",
            content: "The action is recognised",
        },
        {
            trigger: ".o_form_button_save",
            content: "Save the order",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains(Promotion discount):contains(-3.20)",
            content: "The action's discount is an order line: 10 % of 32.00",
        },
        {
            trigger: ".o_data_row:contains(Comté):contains(16.00)",
            content: "The action's special price applies",
        },
        {
            trigger: ".o_data_row:contains(Cheese knife):contains(0.00)",
            content: "The gift is an order line too",
        },
    ],
});
