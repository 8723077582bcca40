import { registry } from "@web/core/registry";

// Set up by tests/test_ui.py: three customers scored 420 to 480 ("Analysis
// Top"), two scored 120 and 150 ("Analysis Low"), intervals of 100 points.
const TOP_ROW = ".o_field_widget[name=line_ids] .o_data_row:first";

// A marketing user finds the top customers in the quality analysis, makes them
// a segment, and finds the segment with its customers.
registry.category("web_tour.tours").add("mkt_segment_analysis_tour", {
    url: "/odoo/action-mkt_scoring.mkt_score_analysis_action",
    steps: () => [
        {
            trigger: ".o_form_view .o_field_widget[name=interval] input",
            content: "Intervals of 100 points",
            run: "edit 100",
        },
        {
            trigger: ".o_form_view button[name=action_compute]",
            content: "Analyse the scores",
            run: "click",
        },
        {
            trigger: `${TOP_ROW} td[name=score_from]:contains(400)`,
            content: "Best first: the top interval starts at 400 points",
        },
        {
            trigger: `${TOP_ROW} td[name=cumulative_count]:contains(3)`,
            content: "Three customers have at least 400 points",
        },
        {
            trigger: `${TOP_ROW} button[name=action_create_segment]`,
            content: "Make the customers with at least 400 points a segment",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name] input:value(/Score 400 or more/)",
            content: "The new segment says what it selects",
        },
        {
            trigger: ".o_form_view button[name=action_open_partners] .o_stat_value:contains(3)",
            content: "It counts the three top customers",
        },
        {
            trigger: ".o_form_view button[name=action_open_partners]",
            content: "Open its customers",
            run: "click",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:contains(Analysis Low)))",
            content: "The customers below 400 points are not in it",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Analysis Top 2)",
            content: "The top customers are",
        },
        {
            trigger: "button[data-menu-xmlid='mkt_scoring.mkt_menu_customers']",
            content: "Open the customers menu",
            run: "click",
        },
        {
            trigger: "a[data-menu-xmlid='mkt_scoring.mkt_segment_menu']",
            content: "Open the segments",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Score 400 or more) td[name=partner_count]:contains(3)",
            content: "The segment is listed with its live count",
        },
    ],
});
