from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

from ..tools.default_records import companies_without, create_translated

_lt = LazyTranslate(__name__)

# A starting colour scale, adapted in Marketing > Configuration > Customer Classes.
DEFAULT_CLASSES = [
    (_lt("A - Top customer"), 400, "#2e7d32"),
    (_lt("B - Good customer"), 200, "#7cb342"),
    (_lt("C - Average customer"), 50, "#f9a825"),
    (_lt("D - Weak customer"), -1000, "#c62828"),
]


class MktCustomerClass(models.Model):
    """A customer class: customers whose score reaches ``min_score`` belong to it.

    The classes of a company are also the colour scale of the quality "Q" badge.
    """

    _name = "mkt.customer.class"
    _description = "Customer Class"
    _order = "company_id, min_score desc"

    name = fields.Char(required=True, translate=True)
    min_score = fields.Integer(
        string="Minimum Score",
        required=True,
        help="Customers with at least this score belong to the class, unless a class "
        "with a higher minimum also applies.",
    )
    color = fields.Char(
        required=True,
        default="#9e9e9e",
        help="Colour of the quality Q for customers of this class.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "min_score_company_uniq",
            "unique(company_id, min_score)",
            "Two customer classes of one company cannot have the same minimum score.",
        ),
    ]

    @api.model
    def _create_default_classes(self, companies=None):
        """Create the default classes for ``companies`` (default: those without)."""
        if companies is None:
            companies = companies_without(self)
        values, names = [], []
        for company in companies:
            for name, min_score, color in DEFAULT_CLASSES:
                names.append(name)
                values.append(
                    {"min_score": min_score, "color": color, "company_id": company.id}
                )
        return create_translated(self, values, names)

    @api.model
    def _get_class_for_score(self, score, company):
        """Return the class of ``company`` that a customer with ``score`` belongs to."""
        return self.search(
            [("company_id", "=", company.id), ("min_score", "<=", score)],
            order="min_score desc",
            limit=1,
        )
