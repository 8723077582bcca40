from datetime import timedelta

from odoo import Command, fields

from odoo.addons.mkt_promotions.tests.common import PromotionCommon


class AnalyticsCommon(PromotionCommon):
    """Customers, two overlapping mailings and helpers to write their mail
    traces and to confirm orders; every figure is small enough to count by hand.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.now = fields.Datetime.now().replace(microsecond=0)
        cls.company.write(
            {
                "mkt_attribution_rule": "last",
                "mkt_attribution_window_days": 30,
                "mkt_attribution_mail_event": "clicked",
            }
        )
        cls.anna, cls.bert, cls.clara = cls.env["res.partner"].create(
            [
                {
                    "name": "Anna Becker",
                    "email": "anna@example.com",
                    "customer_rank": 1,
                },
                {
                    "name": "Bert Krause",
                    "email": "bert@example.com",
                    "customer_rank": 1,
                },
                {"name": "Clara Vogel", "email": "clara@example.com"},
            ]
        )
        cls.mailing_autumn, cls.mailing_advent = cls.env["mailing.mailing"].create(
            [
                {
                    "subject": "Autumn delicacies",
                    "body_html": "<p>Autumn</p>",
                    "mailing_model_id": cls.env["ir.model"]._get_id("res.partner"),
                    "state": "done",
                },
                {
                    "subject": "Advent calendar",
                    "body_html": "<p>Advent</p>",
                    "mailing_model_id": cls.env["ir.model"]._get_id("res.partner"),
                    "state": "done",
                },
            ]
        )

    @classmethod
    def ago(cls, days):
        return cls.now - timedelta(days=days)

    @classmethod
    def add_trace(cls, mailing, partner, sent=10, opened=None, clicked=None, **values):
        """A delivered mail of ``mailing`` to ``partner``, sent/opened/clicked
        the given number of days ago."""
        status = "open" if opened is not None or clicked is not None else "sent"
        return cls.env["mailing.trace"].create(
            {
                "mass_mailing_id": mailing.id,
                "model": partner._name,
                "res_id": partner.id,
                "email": partner.email,
                "trace_status": status,
                "sent_datetime": cls.ago(sent),
                "open_datetime": cls.ago(opened) if opened is not None else False,
                "links_click_datetime": cls.ago(clicked)
                if clicked is not None
                else False,
                **values,
            }
        )

    def confirm_order(self, partner, lines=None, **values):
        order = self.create_order(partner=partner, lines=lines, **values)
        order.action_confirm()
        return order

    def attribution(self, orders):
        return self.env["mkt.attribution"].search(
            [("order_id", "in", orders.ids)], order="order_id, touch_kind, id"
        )

    def set_rule(self, rule=None, event=None, window=None):
        """Change the settings and rebuild, as the Settings screen and the cron
        would."""
        values = {}
        if rule:
            values["mkt_attribution_rule"] = rule
        if event:
            values["mkt_attribution_mail_event"] = event
        if window:
            values["mkt_attribution_window_days"] = window
        settings = self.env["res.config.settings"].create(values)
        settings.execute()
        self.env.ref(
            "mkt_analytics.ir_cron_rebuild_attribution"
        ).method_direct_trigger()

    def invoice_and_refund(self, order, share=0.5):
        """Invoice the order, then credit ``share`` of each line."""
        invoice = order._create_invoices()
        invoice.action_post()
        refund = invoice._reverse_moves([{"invoice_date": invoice.invoice_date}])
        for line in refund.invoice_line_ids:
            line.quantity = line.quantity * share
        refund.action_post()
        return refund

    @staticmethod
    def line(product, qty):
        return Command.create({"product_id": product.id, "product_uom_qty": qty})
