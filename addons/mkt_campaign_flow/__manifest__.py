{
    "name": "Marketing: Campaign Flows",
    "summary": "Segment-driven multi-step campaigns over email, SMS, letters and phone "
    "calls with responses, leads and costs",
    "version": "18.0.1.0.0",
    "category": "Marketing",
    "author": "mkt suite",
    "website": "https://example.com/mkt-suite",
    "license": "LGPL-3",
    "depends": ["mkt_scoring", "crm", "sale_crm", "mass_mailing", "sms"],
    "external_dependencies": {"python": ["python-barcode"]},
    "data": [
        "security/mkt_campaign_flow_groups.xml",
        "security/ir.model.access.csv",
        "security/mkt_campaign_flow_security.xml",
        "data/mkt_campaign_flow_data.xml",
        "data/ir_cron_data.xml",
        "report/mkt_campaign_letter_report.xml",
        "views/mkt_campaign_stage_views.xml",
        "views/mkt_campaign_activity_views.xml",
        "views/mkt_campaign_participant_views.xml",
        "views/mkt_campaign_trace_views.xml",
        "views/mkt_campaign_views.xml",
        "views/account_analytic_line_views.xml",
        "views/mkt_campaign_contact_templates.xml",
        "wizard/mkt_campaign_scan_views.xml",
        "views/mkt_campaign_flow_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "mkt_campaign_flow/static/tests/tours/**/*",
        ],
    },
    "demo": [
        "demo/mkt_campaign_flow_demo.xml",
    ],
    "installable": True,
}
