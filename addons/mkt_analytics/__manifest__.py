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
        "views/mkt_analytics_menus.xml",
    ],
    "installable": True,
}
