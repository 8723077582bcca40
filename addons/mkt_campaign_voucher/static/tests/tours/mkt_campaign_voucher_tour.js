import { registry } from "@web/core/registry";

// A marketing user gives a campaign's email step the win-back voucher: the
// field sits next to the email template in the step's form.
registry.category("web_tour.tours").add("mkt_campaign_voucher_tour", {
    steps: () => [
        {
            content: "Open the email step",
            trigger: "div[name='activity_ids'] .o_data_row:contains(Tour offer) td[name='name']",
            run: "click",
        },
        {
            content: "The voucher comes right after the email template",
            trigger:
                ".modal .o_inner_group:has(div[name='mail_template_id']) div[name='voucher_program_id'] input",
        },
        {
            content: "Choose the win-back voucher",
            trigger: ".modal div[name='voucher_program_id'] input",
            run: "edit Tour win",
        },
        {
            content: "It is offered",
            trigger: ".o-autocomplete--dropdown-item:contains(Tour win-back)",
            run: "click",
        },
        {
            content: "Save the step",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The list of steps shows the voucher",
            trigger:
                "div[name='activity_ids'] .o_data_row:contains(Tour offer) td[name='voucher_program_id']:contains(Tour win-back)",
        },
        {
            content: "Save the campaign",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
    ],
});
