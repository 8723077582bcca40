from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import tagged

from .common import AnalyticsCommon


@tagged("post_install", "-at_install", "mkt")
class TestAttributionCron(AnalyticsCommon):
    def setUp(self):
        super().setUp()
        self.add_trace(self.mailing_autumn, self.anna, sent=9, clicked=8)
        self.add_trace(self.mailing_advent, self.bert, sent=5, clicked=2)
        self.orders = self.confirm_order(self.anna) | self.confirm_order(self.bert)
        self.orders |= self.confirm_order(self.anna, [(self.product_wine, 1)])
        self.Attribution = self.env["mkt.attribution"]
        self.Queue = self.env["mkt.attribution.queue"]
        self.cron = self.env.ref("mkt_analytics.ir_cron_rebuild_attribution")

    def snapshot(self):
        return sorted(
            (row.order_id.id, row.mailing_id.id, row.weight, row.revenue)
            for row in self.attribution(self.orders)
        )

    def test_cron_rebuilds_in_batches_and_a_second_run_is_harmless(self):
        expected = self.snapshot()
        self.assertEqual(len(expected), 3)
        self.env.cr.execute("DELETE FROM mkt_attribution")
        self.env.invalidate_all()
        with patch.object(
            type(self.env["ir.cron"]), "_notify_progress", autospec=True
        ) as progress:
            self.Attribution._cron_rebuild(batch_size=2)
        self.assertEqual(self.snapshot(), expected)
        self.assertEqual(
            [call.kwargs for call in progress.call_args_list],
            [{"done": 2, "remaining": 1}, {"done": 3, "remaining": 0}],
        )
        self.assertEqual(self.Queue._count(), 0)
        self.cron.method_direct_trigger()
        self.assertEqual(self.snapshot(), expected)

    def test_changed_settings_queue_the_company_orders(self):
        with patch.object(type(self.cron), "_trigger", autospec=True) as trigger:
            self.env["res.config.settings"].create(
                {"mkt_attribution_rule": "first"}
            ).execute()
        trigger.assert_called_once()
        self.assertEqual(
            set(self.Queue.search([]).order_id.ids),
            set(self.orders.ids),
        )
        self.assertEqual(set(self.attribution(self.orders).mapped("rule")), {"last"})
        self.cron.method_direct_trigger()
        self.assertEqual(set(self.attribution(self.orders).mapped("rule")), {"first"})

    def test_unchanged_settings_queue_nothing(self):
        self.env["res.config.settings"].create({}).execute()
        self.assertEqual(self.Queue._count(), 0)

    def test_failed_batch_stays_queued(self):
        self.Attribution._enqueue_rebuild(self.company, trigger=False)
        with (
            patch.object(
                type(self.Attribution),
                "_attribute_orders",
                side_effect=RuntimeError("disk full"),
            ),
            self.assertRaises(RuntimeError),
            self.env.cr.savepoint(),
        ):
            self.Attribution._cron_rebuild()
        self.assertEqual(self.Queue._count(), 3)

    def test_attribution_queries_do_not_grow_with_orders(self):
        self.env.flush_all()
        self.Attribution._attribute_orders(self.orders[:1].ids)
        with self.assertQueryCount(2):
            self.Attribution._attribute_orders(self.orders[:1].ids)
        with self.assertQueryCount(2):
            self.Attribution._attribute_orders(self.orders.ids)

    def test_confirmation_attributes_at_once(self):
        order = self.create_order(self.bert)
        self.env.flush_all()
        order.action_confirm()
        self.assertEqual(self.attribution(order).mailing_id, self.mailing_advent)


@tagged("post_install", "-at_install", "mkt")
class TestAttributionQueueConcurrency(AnalyticsCommon):
    """Two workers on the queue at once, in real, separate transactions."""

    def test_parallel_workers_take_different_orders(self):
        dbname = self.env.cr.dbname
        partner_id = self.env.ref("base.main_partner").id
        with db_connect(dbname).cursor() as setup_cr:
            setup_cr.execute(
                """INSERT INTO sale_order (name, partner_id, partner_invoice_id,
                       partner_shipping_id, company_id, date_order, state)
                   SELECT 'MKT-PARALLEL-' || n, %(partner)s, %(partner)s,
                          %(partner)s, %(company)s, now(), 'draft'
                     FROM generate_series(1, 2) n RETURNING id""",
                {"partner": partner_id, "company": self.company.id},
            )
            order_ids = sorted(row[0] for row in setup_cr.fetchall())
            setup_cr.execute(
                "INSERT INTO mkt_attribution_queue (order_id) SELECT unnest(%s)",
                [order_ids],
            )
            setup_cr.commit()
        try:
            with (
                db_connect(dbname).cursor() as cr_a,
                db_connect(dbname).cursor() as cr_b,
            ):
                queue_a = api.Environment(cr_a, SUPERUSER_ID, {})[
                    "mkt.attribution.queue"
                ]
                queue_b = api.Environment(cr_b, SUPERUSER_ID, {})[
                    "mkt.attribution.queue"
                ]
                cr_b.execute("SET lock_timeout = '5s'")
                taken_a = queue_a._claim(1)
                # Worker B does not wait for A: it takes what A has not.
                taken_b = queue_b._claim(10)
                self.assertEqual(taken_a, order_ids[:1])
                self.assertEqual(taken_b, order_ids[1:])
                # A fails: its order goes back to the queue; B commits.
                cr_a.rollback()
                cr_b.commit()
                self.assertEqual(queue_b._claim(10), order_ids[:1])
                cr_b.rollback()
        finally:
            with db_connect(dbname).cursor() as cleanup_cr:
                cleanup_cr.execute(
                    "DELETE FROM sale_order WHERE id = ANY(%s)", [order_ids]
                )
                cleanup_cr.commit()
