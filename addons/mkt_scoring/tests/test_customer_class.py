from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MktCommon


@tagged("post_install", "-at_install", "mkt")
class TestCustomerClass(MktCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Second company"})
        Class = cls.env["mkt.customer.class"]
        Class.search([("company_id", "=", cls.company.id)]).unlink()
        cls.class_top, cls.class_low = Class.create(
            [
                {"name": "Top", "min_score": 300, "color": "#00aa00"},
                {"name": "Low", "min_score": 0, "color": "#aa0000"},
            ]
        )
        cls.class_other_company = Class.create(
            {"name": "Other", "min_score": 100, "company_id": cls.company_b.id}
        )

    def test_class_for_score(self):
        Class = self.env["mkt.customer.class"]
        self.assertEqual(Class._get_class_for_score(450, self.company), self.class_top)
        self.assertEqual(Class._get_class_for_score(300, self.company), self.class_top)
        self.assertEqual(Class._get_class_for_score(299, self.company), self.class_low)
        self.assertFalse(Class._get_class_for_score(-5, self.company))
        self.assertEqual(
            Class._get_class_for_score(150, self.company_b), self.class_other_company
        )

    def test_same_minimum_twice_in_one_company_is_refused(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                self.env["mkt.customer.class"].create({"name": "Dup", "min_score": 300})
        # the same minimum in another company is fine
        self.env["mkt.customer.class"].create(
            {"name": "Top B", "min_score": 300, "company_id": self.company_b.id}
        )

    def test_salesman_reads_but_cannot_configure(self):
        classes = self.env["mkt.customer.class"].with_user(self.user_salesman)
        self.assertIn(self.class_top, classes.search([]))
        with self.assertRaises(AccessError):
            classes.create({"name": "Hack", "min_score": 5})
        with self.assertRaises(AccessError):
            self.class_top.with_user(self.user_marketing).write({"min_score": 1})
        self.class_top.with_user(self.user_marketing_manager).write({"min_score": 350})
        self.assertEqual(self.class_top.min_score, 350)

    def test_company_rule_hides_other_company_classes(self):
        visible = (
            self.env["mkt.customer.class"].with_user(self.user_marketing).search([])
        )
        self.assertNotIn(self.class_other_company, visible)
