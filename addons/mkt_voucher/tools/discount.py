from odoo.tools import formatLang


def format_percent(env, percent):
    """A discount as customers read it, in ``env``'s language: "15 %",
    "12,5 %" (no trailing zeros)."""
    number = formatLang(env, percent, digits=2)
    return f"{number.rstrip('0').rstrip('.,')} %"
