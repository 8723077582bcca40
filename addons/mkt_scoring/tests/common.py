from contextlib import contextmanager
from datetime import date

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, TransactionCase, get_db_name, new_test_user

from odoo.addons.mkt_scoring.tools.order_history import OrderHistoryBuilder


class CommittedCase(BaseCase):
    """Base of the tests of concurrent transactions: each transaction is a
    connection of its own that commits, as in production (a TransactionCase
    keeps everything in one transaction that is rolled back). Such a test
    creates its records committed and removes them again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    @contextmanager
    def committed_env(self):
        """A superuser environment on a connection of its own, committed on
        leaving the block (rolled back on an exception)."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})


class MktCommon(TransactionCase):
    """Fixtures shared by the tests of every add-on of the suite.

    Users for each role, a small catalog, and ``create_customers_with_history``
    to build customers with confirmed, invoiced orders in a few batched calls.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.user_salesman = new_test_user(
            cls.env,
            login="mkt_salesman",
            groups="sales_team.group_sale_salesman",
        )
        cls.user_marketing = new_test_user(
            cls.env,
            login="mkt_user",
            groups="mkt_scoring.mkt_group_user,sales_team.group_sale_salesman",
        )
        cls.user_marketing_manager = new_test_user(
            cls.env,
            login="mkt_manager",
            groups="mkt_scoring.mkt_group_manager,sales_team.group_sale_salesman",
        )
        cls.category_cheese = cls.env["product.category"].create({"name": "Cheese"})
        cls.category_wine = cls.env["product.category"].create({"name": "Wine"})
        cls.product_cheese, cls.product_wine = cls.env["product.product"].create(
            [
                {
                    "name": "Comté 18 months",
                    "categ_id": cls.category_cheese.id,
                    "list_price": 20.0,
                    "type": "consu",
                    "invoice_policy": "order",
                    "taxes_id": [(5, 0, 0)],
                },
                {
                    "name": "Riesling Spätlese",
                    "categ_id": cls.category_wine.id,
                    "list_price": 15.0,
                    "type": "consu",
                    "invoice_policy": "order",
                    "taxes_id": [(5, 0, 0)],
                },
            ]
        )

    @classmethod
    def create_customers_with_history(
        cls, count, order_dates, lines=None, name="Customer", **options
    ):
        """Create ``count`` customers, each with one confirmed and invoiced order
        per date of ``order_dates``; ``options`` go to each planned order."""
        partners = cls.env["res.partner"].create(
            [
                {"name": f"{name} {number}", "customer_rank": 1, "zip": "80331"}
                for number in range(count)
            ]
        )
        lines = lines or [(cls.product_cheese, 2, None)]
        builder = OrderHistoryBuilder(cls.env)
        for partner in partners:
            for order_date in order_dates:
                builder.add_order(partner, order_date, lines, **options)
        builder.build()
        return partners


DATE_A = date(2025, 3, 3)
DATE_B = date(2025, 9, 15)
