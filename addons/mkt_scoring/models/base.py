from odoo import models


class Base(models.AbstractModel):
    _inherit = "base"

    def _mkt_field_label(self, field_name):
        """The label of the field in the user's language: the suite's messages
        name the field that is wrong as the user sees it on the screen."""
        return self._fields[field_name]._description_string(self.env)
