from contextlib import contextmanager

from odoo import api, models


class LoyaltyReward(models.Model):
    _inherit = "loyalty.reward"

    @api.constrains("reward_type", "discount_mode")
    def _check_mkt_adaptive_discount(self):
        self.program_id._check_mkt_discount_rules()

    @contextmanager
    def _mkt_discount_for_this_call(self, percent, description):
        """Let core's discount computation read ``percent`` and ``description``
        from this reward, without writing them: an adaptive code's discount.

        Only the transaction's cache holds them, and only within the block;
        the stored values are flushed first, so nothing pending is lost, and
        they are put back afterwards, even on an error.
        """
        self.ensure_one()
        self.flush_recordset(["discount", "description"])
        fields_ = [self._fields["discount"], self._fields["description"]]
        original = [self[field.name] for field in fields_]
        try:
            for field, value in zip(fields_, [percent, description], strict=True):
                self.env.cache.set(self, field, value)
            yield self
        finally:
            for field, value in zip(fields_, original, strict=True):
                self.env.cache.set(self, field, value)
