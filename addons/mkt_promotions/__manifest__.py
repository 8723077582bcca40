{
    "name": "Marketing: Promotion Actions",
    "summary": "Promotion actions (catalogs, newsletters, flyers, webshop) applied at "
    "order entry by their code, with demand planning",
    "version": "18.0.1.0.0",
    "category": "Marketing",
    "author": "mkt suite",
    "website": "https://example.com/mkt-suite",
    "license": "LGPL-3",
    "depends": ["mkt_scoring", "delivery", "account"],
    "data": [
        "security/ir.model.access.csv",
        "views/mkt_promotions_menus.xml",
    ],
    "installable": True,
}
