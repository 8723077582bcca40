{
    "name": "Marketing: Analytics",
    "summary": "Attribution, ROI, purchase and trend segments, demand control and "
    "dashboards for the marketing suite",
    "version": "18.0.1.0.0",
    "category": "Marketing",
    "author": "mkt suite",
    "website": "https://example.com/mkt-suite",
    "license": "LGPL-3",
    "depends": [
        "mkt_promotions",
        "mkt_voucher",
        "mkt_campaign_flow",
        "mass_mailing_sale",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/mkt_analytics_security.xml",
        "data/ir_cron_data.xml",
        "views/mkt_attribution_views.xml",
        "views/mkt_performance_report_views.xml",
        "views/mkt_segment_views.xml",
        "views/mkt_recommendation_report_views.xml",
        "views/res_config_settings_views.xml",
        "views/mkt_analytics_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "mkt_analytics/static/src/**/*",
        ],
        "web.assets_tests": [
            "mkt_analytics/static/tests/tours/**/*",
        ],
    },
    "demo": [
        "demo/mkt_analytics_demo.xml",
    ],
    "post_init_hook": "_post_init_attribute_orders",
    "uninstall_hook": "_uninstall_drop_trace_indexes",
    "installable": True,
}
