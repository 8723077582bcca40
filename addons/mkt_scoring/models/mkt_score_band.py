from odoo import api, fields, models
from odoo.exceptions import ValidationError


class MktScoreBand(models.Model):
    """A range of a criterion's value and the points it is worth.

    A value ``v`` falls in the band when ``value_from <= v < value_to`` (or
    ``v >= value_from`` for a band without upper limit). Bands of one criterion
    must not overlap; values in a gap between bands are worth no points.
    """

    _name = "mkt.score.band"
    _description = "Scoring Band"
    _order = "criterion_id, value_from"

    criterion_id = fields.Many2one(
        "mkt.score.criterion", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="criterion_id.company_id", store=True)
    value_from = fields.Float(string="From (inclusive)", required=True, default=0.0)
    value_to = fields.Float(string="Up to (exclusive)", default=0.0)
    open_ended = fields.Boolean(string="No upper limit")
    points = fields.Integer(required=True, help="Positive or negative points.")

    @api.constrains("value_from", "value_to", "open_ended", "criterion_id")
    def _check_band(self):
        for band in self:
            if not band.open_ended and band.value_to <= band.value_from:
                raise ValidationError(
                    self.env._(
                        "Criterion “%(criterion)s”: the band from %(start)s to %(end)s "
                        "is empty; its upper limit must be above its lower limit.",
                        criterion=band.criterion_id.name,
                        start=band.value_from,
                        end=band.value_to,
                    )
                )
        for criterion in self.criterion_id:
            bands = criterion.band_ids.sorted("value_from")
            for lower, upper in zip(bands, bands[1:], strict=False):
                if lower.open_ended or lower.value_to > upper.value_from:
                    raise ValidationError(
                        self.env._(
                            "Criterion “%(criterion)s”: the bands starting at %(first)s "
                            "and %(second)s overlap.",
                            criterion=criterion.name,
                            first=lower.value_from,
                            second=upper.value_from,
                        )
                    )

    @api.model
    def _values_for(self, value_from, value_to, points):
        """Create values for a band; ``value_to`` None means no upper limit."""
        return {
            "value_from": value_from,
            "value_to": value_to or 0.0,
            "open_ended": value_to is None,
            "points": points,
        }
