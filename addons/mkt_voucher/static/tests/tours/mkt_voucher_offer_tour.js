import { registry } from "@web/core/registry";
import tourUtils from "@sale/js/tours/tour_utils";

// A salesperson enters an order for a regular customer: once the order reaches
// the voucher's minimum, the voucher is offered and applied in one click.
registry.category("web_tour.tours").add("mkt_voucher_offer_tour", {
    url: "/odoo/action-sale.action_quotations_with_onboarding",
    steps: () => [
        ...tourUtils.createNewSalesOrder(),
        ...tourUtils.selectCustomer("Stammkunde Tour"),
        ...tourUtils.addProduct("Tour Comté"),
        {
            content: "Six pieces: 120 EUR, above the 100 EUR minimum",
            trigger: ".o_selected_row div[name='product_uom_qty'] input",
            run: "edit 6",
        },
        ...tourUtils.clickSomewhereElse(),
        {
            content: "The customer's voucher is offered",
            trigger: ".o_mkt_voucher_offer:contains(Tour voucher 20 %)",
        },
        {
            content: "Apply it with one click",
            trigger: ".o_mkt_voucher_offer button[name='action_mkt_apply_offered_voucher']",
            run: "click",
        },
        {
            content: "The discount line is on the order",
            trigger: ".o_data_row:contains(20%):contains(-24.00)",
        },
        {
            content: "The voucher is no longer offered",
            trigger: ".o_form_view:not(:has(.o_mkt_voucher_offer))",
        },
    ],
});
