# Dependencies: the point of sale becomes a purchase channel of the segments
# and of the "Products by Channel" report. pos_sale (installed by Odoo itself
# as soon as Sales and Point of Sale are) puts POS orders into the sales
# analysis and gives them a sales team; sale_stock gives sale orders the
# warehouse they ship from, the store of a sale. The add-on installs itself
# when a company uses both the marketing analytics and the point of sale.
{
    "name": "Marketing: Point of Sale Channels",
    "summary": "Purchase segments and best sellers by point of sale shop and store",
    "version": "18.0.1.0.0",
    "category": "Marketing",
    "author": "mkt suite",
    "website": "https://example.com/mkt-suite",
    "license": "LGPL-3",
    "depends": ["mkt_analytics", "point_of_sale", "pos_sale", "sale_stock"],
    "auto_install": ["mkt_analytics", "point_of_sale"],
    "data": [
        "security/ir.model.access.csv",
        "views/mkt_segment_views.xml",
        "report/sale_report_views.xml",
    ],
    "demo": ["demo/mkt_analytics_pos_demo.xml"],
    "installable": True,
}
