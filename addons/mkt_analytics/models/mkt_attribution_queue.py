from odoo import api, fields, models
from odoo.tools import SQL


class MktAttributionQueue(models.Model):
    """Orders waiting to be attributed anew by the cron.

    A narrow table of its own: queuing every order of a company is one INSERT
    of small rows (not an UPDATE of the wide sale_order rows), and a batch is
    taken out of it with DELETE ... RETURNING, so that it leaves the queue when
    its transaction commits, and stays there when it fails.
    """

    _name = "mkt.attribution.queue"
    _description = "Orders To Attribute"
    _log_access = False
    _rec_name = "order_id"

    order_id = fields.Many2one(
        "sale.order", required=True, readonly=True, ondelete="cascade"
    )

    _sql_constraints = [
        ("order_uniq", "unique(order_id)", "An order is queued once."),
    ]

    @api.model
    def _count(self):
        self.env.cr.execute("SELECT count(*) FROM mkt_attribution_queue")
        return self.env.cr.fetchone()[0]

    @api.model
    def _claim(self, batch_size):
        """Take up to ``batch_size`` orders out of the queue (ids), skipping
        those a parallel run holds."""
        self.env.cr.execute(
            SQL(
                """DELETE FROM mkt_attribution_queue WHERE id IN (
                       SELECT id FROM mkt_attribution_queue ORDER BY order_id
                        LIMIT %s FOR UPDATE SKIP LOCKED)
                   RETURNING order_id""",
                batch_size,
            )
        )
        return sorted(row[0] for row in self.env.cr.fetchall())
