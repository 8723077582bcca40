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


def order_revenue(alias="so", amount=None):
    """An order's untaxed amount in its company's currency (``currency_rate`` is
    the order currency per unit of company currency; unset or 0 means 1).
    ``amount`` converts another amount of the order instead, e.g. the untaxed
    subtotal of one of its lines, so that lines add up to the order.

    Orders in the company's currency, nearly all of them, are not divided: a
    numeric division yields 16 and more decimals, which makes every sum and
    average over the amounts several times slower (and their states larger).
    """
    amount = amount or SQL.identifier(alias, "amount_untaxed")
    rate = SQL.identifier(alias, "currency_rate")
    return SQL(
        "(CASE WHEN COALESCE(%(rate)s, 0) IN (0, 1) THEN %(amount)s"
        " ELSE %(amount)s / %(rate)s END)",
        amount=amount,
        rate=rate,
    )


def order_line_revenue(line="sol", order="so"):
    """An order line's untaxed amount in its company's currency, as
    ``order_revenue`` for the order."""
    return order_revenue(order, amount=SQL.identifier(line, "price_subtotal"))
