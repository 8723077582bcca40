# A bridge: campaign steps (mkt_campaign_flow) carry a voucher (mkt_voucher).
# It installs itself when both are installed, so neither depends on the other.
{
    "name": "Marketing: Vouchers in Campaign Steps",
    "summary": "Campaign email and letter steps carry a voucher: one personal "
    "code per participant, with its adaptive discount",
    "version": "18.0.1.0.0",
    "category": "Marketing",
    "author": "mkt suite",
    "website": "https://example.com/mkt-suite",
    "license": "LGPL-3",
    "depends": ["mkt_campaign_flow", "mkt_voucher"],
    "auto_install": True,
    "data": [
        "views/mkt_campaign_activity_views.xml",
        "report/mkt_campaign_letter_report.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "mkt_campaign_voucher/static/tests/tours/**/*",
        ],
    },
    "demo": [
        "demo/mkt_campaign_voucher_demo.xml",
    ],
    "installable": True,
}
