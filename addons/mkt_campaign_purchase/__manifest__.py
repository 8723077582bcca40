# Campaigns become a demand source of mkt_promotions_purchase: the articles a
# campaign offers and its expected response rate give the expected orders,
# proposed for purchase like a promotion action's plan. Installs itself where
# both campaigns and purchase proposals are installed.
{
    "name": "Marketing: Purchase Proposals from Campaigns",
    "summary": "Offered articles and expected orders of campaigns, proposed as "
    "draft purchase orders per vendor net of stock and open purchases",
    "version": "18.0.1.0.0",
    "category": "Marketing",
    "author": "mkt suite",
    "website": "https://example.com/mkt-suite",
    "license": "LGPL-3",
    "depends": ["mkt_campaign_flow", "mkt_promotions_purchase"],
    "auto_install": True,
    "data": [
        "security/ir.model.access.csv",
        "security/mkt_campaign_purchase_security.xml",
        "views/mkt_campaign_views.xml",
        "views/purchase_order_views.xml",
    ],
    "demo": ["demo/mkt_campaign_purchase_demo.xml"],
    "assets": {
        "web.assets_tests": ["mkt_campaign_purchase/static/tests/tours/*.js"],
    },
    "installable": True,
}
