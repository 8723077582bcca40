from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import tagged

from odoo.addons.mkt_analytics.models.mkt_attribution import REBUILD_LOCK

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
        self.assertFalse(self.company.mkt_attribution_rebuild)
        self.assertEqual(self.company.mkt_attribution_cursor, max(self.orders.ids))
        self.cron.method_direct_trigger()
        self.assertEqual(self.snapshot(), expected)

    def test_rebuild_drops_orders_cancelled_meanwhile(self):
        order = self.orders[0]
        # Cancelled behind the ORM's back: only the rebuild can notice.
        self.env.cr.execute(
            "UPDATE sale_order SET state = 'cancel' WHERE id = %s", [order.id]
        )
        self.env.invalidate_all()
        self.cron.method_direct_trigger()
        self.assertFalse(self.attribution(order))
        self.assertEqual(len(self.attribution(self.orders)), 2)

    def test_changed_settings_schedule_a_rebuild(self):
        with patch.object(type(self.cron), "_trigger", autospec=True) as trigger:
            self.env["res.config.settings"].create(
                {"mkt_attribution_rule": "first"}
            ).execute()
        trigger.assert_called_once()
        self.assertTrue(self.company.mkt_attribution_rebuild)
        self.assertEqual(self.company.mkt_attribution_cursor, 0)
        self.assertEqual(set(self.attribution(self.orders).mapped("rule")), {"last"})
        self.cron.method_direct_trigger()
        self.assertEqual(set(self.attribution(self.orders).mapped("rule")), {"first"})
        self.assertFalse(self.company.mkt_attribution_rebuild)

    def test_unchanged_settings_schedule_nothing(self):
        self.cron.method_direct_trigger()  # what installing scheduled
        self.assertFalse(self.company.mkt_attribution_rebuild)
        self.env["res.config.settings"].create({}).execute()
        self.assertFalse(self.company.mkt_attribution_rebuild)

    def test_failed_batch_is_done_again(self):
        self.Attribution._schedule_rebuild(self.company, trigger=False)
        self.env.cr.execute("DELETE FROM mkt_attribution")
        self.env.invalidate_all()
        with (
            patch.object(
                type(self.Attribution),
                "_attribute_range",
                side_effect=RuntimeError("disk full"),
            ),
            self.assertRaises(RuntimeError),
            self.env.cr.savepoint(),
        ):
            self.Attribution._cron_rebuild()
        self.assertTrue(self.company.mkt_attribution_rebuild)
        self.assertEqual(self.company.mkt_attribution_cursor, 0)
        self.Attribution._cron_rebuild(batch_size=2)
        self.assertEqual(len(self.attribution(self.orders)), 3)

    def test_attribution_queries_do_not_grow_with_orders(self):
        self.env.flush_all()
        self.Attribution._attribute_orders(self.orders[:1].ids)
        with self.assertQueryCount(1):
            self.Attribution._attribute_orders(self.orders[:1].ids)
        with self.assertQueryCount(1):
            self.Attribution._attribute_orders(self.orders.ids)

    def test_rebuild_writes_only_what_changed(self):
        self.cron.method_direct_trigger()
        before = {row.order_id: row.id for row in self.attribution(self.orders)}
        anna_first, bert_order, anna_wine = self.orders
        # A later click of Anna on another mailing: the last touch of her two
        # orders changes (the same key in the unique index of one row per
        # order), Bert's order stays as it was.
        self.add_trace(self.mailing_advent, self.anna, sent=3, clicked=1)
        self.Attribution._schedule_rebuild(self.company, trigger=False)
        self.Attribution._cron_rebuild(batch_size=2)
        rows = self.attribution(self.orders)
        self.assertEqual(len(rows), 3)
        by_order = {row.order_id: row for row in rows}
        self.assertEqual(by_order[bert_order].id, before[bert_order], "kept as is")
        for order in (anna_first, anna_wine):
            self.assertNotEqual(by_order[order].id, before[order])
            self.assertEqual(by_order[order].mailing_id, self.mailing_advent)
        # A cancelled order loses its row, the others are kept.
        self.env.cr.execute(
            "UPDATE sale_order SET state = 'cancel' WHERE id = %s", [anna_wine.id]
        )
        self.env.invalidate_all()
        kept = rows.filtered(lambda row: row.order_id != anna_wine).ids
        self.Attribution._attribute_orders(self.orders.ids)
        self.assertEqual(sorted(self.attribution(self.orders).ids), sorted(kept))

    def test_confirmation_attributes_at_once(self):
        order = self.create_order(self.bert)
        self.env.flush_all()
        order.action_confirm()
        self.assertEqual(self.attribution(order).mailing_id, self.mailing_advent)


@tagged("post_install", "-at_install", "mkt")
class TestAttributionRebuildConcurrency(AnalyticsCommon):
    """Two cron workers at once, in real, separate transactions."""

    def test_parallel_worker_skips_the_company_another_one_holds(self):
        dbname = self.env.cr.dbname
        company_id = self.company.id
        with (
            db_connect(dbname).cursor() as cr_a,
            db_connect(dbname).cursor() as cr_b,
        ):
            # Worker A is in the middle of a batch of the company.
            cr_a.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)", [REBUILD_LOCK, company_id]
            )
            self.assertTrue(cr_a.fetchone()[0])
            # Worker B does not wait for A: it leaves the company to A.
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            cr_b.execute("SET lock_timeout = '2s'")
            company_b = env_b["res.company"].browse(company_id)
            self.assertIsNone(
                env_b["mkt.attribution"]._claim_rebuild_batch(company_b, 10)
            )
            # Once A's transaction ends, the company is free again.
            cr_a.rollback()
            cr_b.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)", [REBUILD_LOCK, company_id]
            )
            self.assertTrue(cr_b.fetchone()[0])
            cr_b.rollback()
