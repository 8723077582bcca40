{
    "name": "Marketing: Campaign Flows",
    "summary": "Segment-driven multi-step campaigns over email, SMS, letters and phone "
    "calls with responses, leads and costs",
    "version": "18.0.1.0.0",
    "category": "Marketing",
    "author": "mkt suite",
    "website": "https://example.com/mkt-suite",
    "license": "LGPL-3",
    "depends": ["mkt_scoring", "crm", "mass_mailing", "sms"],
    "data": [
        "security/mkt_campaign_flow_groups.xml",
        "views/mkt_campaign_flow_menus.xml",
    ],
    "installable": True,
}
