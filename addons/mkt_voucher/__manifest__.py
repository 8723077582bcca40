{
    "name": "Marketing: Targeted Vouchers",
    "summary": "Targeted vouchers for segments, double opt-in welcome vouchers, "
    "printable code sheets and redemption reports",
    "version": "18.0.1.0.0",
    "category": "Marketing",
    "author": "mkt suite",
    "website": "https://example.com/mkt-suite",
    "license": "LGPL-3",
    "depends": ["mkt_scoring", "sale_loyalty", "mass_mailing"],
    "data": [
        "security/mkt_voucher_groups.xml",
        "security/ir.model.access.csv",
        "views/mkt_voucher_menus.xml",
    ],
    "installable": True,
}
