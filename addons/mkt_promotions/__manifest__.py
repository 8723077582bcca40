{
    "name": "Marketing: Promotion Actions",
    "summary": "Promotion actions (catalogs, newsletters, flyers, webshop) applied at "
    "order entry by their code, with demand planning",
    "version": "18.0.1.0.0",
    "category": "Marketing",
    "author": "mkt suite",
    "website": "https://example.com/mkt-suite",
    "license": "LGPL-3",
    "depends": ["mkt_scoring", "delivery", "account", "sale_loyalty"],
    "data": [
        "security/ir.model.access.csv",
        "security/mkt_promotions_security.xml",
        "data/mkt_promotions_data.xml",
        "views/mkt_promotion_report_views.xml",
        "views/mkt_promotion_views.xml",
        "views/sale_order_views.xml",
        "views/delivery_carrier_views.xml",
        "views/product_template_views.xml",
        "views/mkt_promotions_menus.xml",
    ],
    "demo": ["demo/mkt_promotions_demo.xml"],
    "assets": {
        "web.assets_tests": ["mkt_promotions/static/tests/tours/*.js"],
    },
    "installable": True,
}
