# Dependencies: netting planned demand against stock needs `stock` (on hand,
# forecast) and purchase_stock (confirmed purchase lines become incoming moves,
# received quantities come from receipts), which is how Odoo's own
# replenishment nets purchases. The add-on installs itself as soon as a
# company uses both promotions and purchasing (`auto_install` on
# mkt_promotions and purchase) and then brings purchase_stock with it:
# proposing purchases without knowing the stock would order what is on the
# shelf.
{
    "name": "Marketing: Purchase Proposals from Promotion Planning",
    "summary": "Propose draft purchase orders for the planned demand of promotion "
    "actions not covered by stock and open purchases, grouped by vendor",
    "version": "18.0.1.0.0",
    "category": "Marketing",
    "author": "mkt suite",
    "website": "https://example.com/mkt-suite",
    "license": "LGPL-3",
    "depends": ["mkt_promotions", "purchase", "purchase_stock"],
    "auto_install": ["mkt_promotions", "purchase"],
    "data": [
        "security/ir.model.access.csv",
        "security/mkt_promotions_purchase_security.xml",
        "wizard/mkt_purchase_proposal_views.xml",
        "views/mkt_promotion_views.xml",
        "views/purchase_order_views.xml",
    ],
    "demo": ["demo/mkt_promotions_purchase_demo.xml"],
    "assets": {
        "web.assets_tests": ["mkt_promotions_purchase/static/tests/tours/*.js"],
    },
    "installable": True,
}
