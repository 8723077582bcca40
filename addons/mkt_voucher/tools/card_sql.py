"""SQL pieces on loyalty cards shared by the redemption report and the
Marketing performance report, so that "codes issued" means the same everywhere."""

from odoo.tools import SQL


def issued_card(alias="card"):
    """Whether the card is an issued code: handed to a customer (newsletter,
    sign-up, code sheet, trade fair ...). The card core creates for an order
    that typed a program's shared code (KATALOG10) only records that use and
    is not a code anybody was given, unless a channel marks it as issued."""
    return SQL(
        "(%s IS NULL OR %s IS NOT NULL)",
        SQL.identifier(alias, "order_id"),
        SQL.identifier(alias, "mkt_source_id"),
    )
