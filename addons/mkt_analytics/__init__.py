from . import models
from . import report


def _post_init_attribute_orders(env):
    """Orders confirmed before the add-on was installed are attributed by the
    cron, in the background."""
    env["mkt.attribution"]._schedule_rebuild(env["res.company"].search([]))
