import { registry } from "@web/core/registry";

// Colours set up by tests/test_quality_q.py: the top class of the test catalog,
// and the grey of a customer without a score.
const TOP_COLOR = "#6a1b9a";
const UNSCORED_COLOR = "#9e9e9e";

function searchCustomers(text) {
    return [
        {
            trigger: ".o_searchview_input",
            content: `Search the customers for ${text}`,
            run: `edit ${text}`,
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
    ];
}

// A salesperson sees the quality Q of a scored and of an unscored customer.
registry.category("web_tour.tours").add("mkt_quality_q_tour", {
    steps: () => [
        ...searchCustomers("Quality Top"),
        {
            trigger: `.o_kanban_record:contains(Quality Top 0) .o_mkt_quality_q[style*='background-color: ${TOP_COLOR}']`,
            content: "The card shows the Q in the colour of the customer's class",
            run: "click",
        },
        {
            trigger: `.o_form_view .oe_title .o_mkt_quality_q[style*='background-color: ${TOP_COLOR}']:not(.o_mkt_quality_q_unscored)`,
            content: "Next to the name, the Q has the colour of the customer's class",
            run: "hover",
        },
        {
            trigger: ".o-tooltip .o_mkt_quality_q_class:contains(Q Top customer)",
            content: "The tooltip names the class",
        },
        {
            trigger: ".o-tooltip .o_mkt_quality_q_criteria tr:contains(Orders this year):contains(500)",
            content: "The tooltip shows the points per criterion",
        },
        {
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            content: "Back to the customers",
            run: "click",
        },
        ...searchCustomers("Quality Unscored"),
        {
            trigger: ".o_kanban_record:contains(Quality Unscored)",
            run: "click",
        },
        {
            trigger: `.o_form_view .oe_title .o_mkt_quality_q.o_mkt_quality_q_unscored[style*='background-color: ${UNSCORED_COLOR}']`,
            content: "A customer without a score has a grey Q",
            run: "hover",
        },
        {
            trigger: ".o-tooltip .o_mkt_quality_q_unscored_text:contains(Not scored)",
            content: "Its tooltip says it is not scored",
        },
    ],
});
