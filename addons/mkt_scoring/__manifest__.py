{
    "name": "Marketing: Customer Quality Scoring",
    "summary": "Customer quality scores (RFM, returns, dunning), customer classes, "
    "the coloured Q badge and customer segments",
    "version": "18.0.1.0.0",
    "category": "Marketing",
    "author": "mkt suite",
    "website": "https://example.com/mkt-suite",
    "license": "LGPL-3",
    "depends": ["sale_management", "account", "mass_mailing"],
    "data": [
        "security/mkt_scoring_groups.xml",
        "security/ir.model.access.csv",
        "security/mkt_scoring_security.xml",
        "data/mkt_scoring_data.xml",
        "data/ir_cron_data.xml",
        "data/mkt_customer_trend_data.xml",
        "views/mkt_customer_class_views.xml",
        "views/mkt_score_criterion_views.xml",
        "views/mkt_customer_score_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/mkt_recommendation_templates.xml",
        "views/mkt_recommendation_views.xml",
        "views/res_config_settings_views.xml",
        "views/mkt_segment_views.xml",
        "wizard/mkt_segment_mailing_list_views.xml",
        "wizard/mkt_score_analysis_views.xml",
        "report/mkt_score_analysis_report.xml",
        "views/mkt_scoring_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "mkt_scoring/static/src/**/*",
        ],
        "web.assets_unit_tests": [
            "mkt_scoring/static/tests/**/*.test.js",
        ],
        "web.assets_tests": [
            "mkt_scoring/static/tests/tours/**/*",
        ],
    },
    "demo": [
        "demo/mkt_demo_data.xml",
    ],
    "application": True,
    "installable": True,
}
