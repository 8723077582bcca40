"""SQL pieces on sale orders shared by the scoring engine, segments and the
quality analysis, so that "revenue" means the same everywhere."""

from odoo.tools import SQL

# The sale.order columns those hand-written queries read: flush them first.
ORDER_FIELDS = [
    "state",
    "company_id",
    "partner_id",
    "date_order",
    "amount_untaxed",
    "currency_rate",
]


def order_revenue(alias="so"):
    """An order's untaxed amount in its company's currency (``currency_rate`` is
    the order currency per unit of company currency)."""
    return SQL(
        "%s / COALESCE(NULLIF(%s, 0), 1)",
        SQL.identifier(alias, "amount_untaxed"),
        SQL.identifier(alias, "currency_rate"),
    )
