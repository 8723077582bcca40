from odoo import fields, models

from .res_partner import TRENDS


class MktCustomerTrend(models.Model):
    """One record per value of ``res.partner.mkt_trend``.

    Segments select several trends at once; a selection field cannot hold more
    than one value, so the values are records (created by data, never edited).
    """

    _name = "mkt.customer.trend"
    _description = "Customer Trend"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(TRENDS, required=True)
    sequence = fields.Integer(default=10)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "Each trend exists once."),
    ]
