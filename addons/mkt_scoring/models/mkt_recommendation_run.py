from odoo import fields, models


class MktRecommendationRun(models.Model):
    """Where a company's recommendation refresh stands; one row per company.

    Its own row, not columns of res.company: a worker holds it locked for the
    length of a batch, which must not keep the scoring run (that locks the
    company's row) from working in the meantime.
    """

    _name = "mkt.recommendation.run"
    _description = "Recommendation Refresh State"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    run_date = fields.Date(help="Day of the current or last refresh.")
    partner_position = fields.Integer(
        help="Id of the last customer that refresh reached (customers go in id order)."
    )
    done = fields.Boolean(help="The refresh of that day reached every customer.")

    _sql_constraints = [
        ("company_uniq", "UNIQUE(company_id)", "One refresh state per company."),
    ]
