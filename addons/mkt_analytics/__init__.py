from . import models
from . import report


def _post_init_attribute_orders(env):
    """Orders confirmed before the add-on was installed are attributed by the
    cron, in the background."""
    env["mkt.attribution"]._schedule_rebuild(env["res.company"].search([]))


def _uninstall_drop_trace_indexes(env):
    """The indexes the attribution added to mail traces and order lines go
    with it."""
    env.cr.execute(
        """DROP INDEX IF EXISTS mailing_trace_mkt_partner_idx;
           DROP INDEX IF EXISTS mailing_trace_mkt_partner_event_idx;
           DROP INDEX IF EXISTS mailing_trace_mkt_click_idx;
           DROP INDEX IF EXISTS mailing_trace_mkt_email_idx;
           DROP INDEX IF EXISTS sale_order_line_mkt_reward_idx"""
    )
