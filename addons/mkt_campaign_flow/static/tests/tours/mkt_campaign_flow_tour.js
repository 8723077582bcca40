import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A marketing user finds the campaign board, opens a running campaign, reads
// its funnel and follows the participants on the board of steps.
registry.category("web_tour.tours").add("mkt_campaign_flow_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='mkt_scoring.mkt_menu_root']",
            content: "Open the Marketing app",
            run: "click",
        },
        {
            trigger: "button[data-menu-xmlid='mkt_campaign_flow.mkt_campaign_flow_menu']",
            content: "Open the campaigns menu",
            run: "click",
        },
        {
            trigger: "a[data-menu-xmlid='mkt_campaign_flow.mkt_campaign_menu']",
            content: "Open the campaign board",
            run: "click",
        },
        {
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('In Progress')) .o_kanban_record:contains('Tour olive oil launch')",
            content: "The running campaign sits in its stage column",
        },
        {
            trigger: ".o_kanban_record:contains('Tour olive oil launch')",
            content: "Open the campaign",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name]:contains('Tour olive oil launch'), .o_form_view .o_field_widget[name=name] input",
            content: "The campaign form is open",
        },
        {
            trigger: ".o_form_view .o_notebook a:contains('Funnel')",
            content: "Open the funnel",
            run: "click",
        },
        {
            trigger: ".o_mkt_funnel_entered:contains('4')",
            content: "Four participants entered",
        },
        {
            trigger:
                ".o_mkt_campaign_funnel .o_data_row:contains('Tour invitation') td[name=reached_count]:contains('4')",
            content: "The invitation reached all of them",
        },
        {
            trigger:
                ".o_mkt_campaign_funnel .o_data_row:contains('Tour invitation') td[name=responded_count]:contains('1')",
            content: "One of them responded",
        },
        {
            trigger:
                ".o_mkt_campaign_funnel .o_data_row:contains('Tour opinion') td[name=reached_count]:contains('0')",
            content: "The opinion email is still to come",
        },
        {
            trigger: "button.oe_stat_button:contains('Participants')",
            content: "Open the participants",
            run: "click",
        },
        {
            trigger:
                ".o_mkt_participant_kanban .o_kanban_group:has(.o_column_title:contains('Tour invitation')) .o_kanban_record:contains('Tour customer 1')",
            content: "Participants are on the board by their current step",
        },
        {
            trigger: ".o_mkt_participant_kanban .o_kanban_group .o_column_title:contains('Tour opinion')",
            content: "The next step has its (empty) column",
        },
        {
            trigger: ".o_kanban_record:contains('Tour customer 1') .o_mkt_responded",
            content: "The responder is marked",
        },
        {
            trigger: ".o_kanban_record:contains('Tour customer 1')",
            content: "Open a participant",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=barcode]:contains('MKT')",
            content: "Its reference for the letters",
        },
    ],
});
