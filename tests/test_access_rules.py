from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .suite import SUITE


@tagged("post_install", "-at_install", "mkt")
class TestAccessRules(TransactionCase):
    """Every model the suite creates is guarded by the suite's groups."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        model_ids = (
            cls.env["ir.model.data"]
            .search([("model", "=", "ir.model"), ("module", "in", SUITE)])
            .mapped("res_id")
        )
        # Models the suite defines (all named mkt.*), not those it only extends.
        cls.suite_models = (
            cls.env["ir.model"]
            .browse(model_ids)
            .filtered(
                lambda m: m.model.startswith("mkt.") and not cls.env[m.model]._abstract
            )
        )
        cls.manager = new_test_user(
            cls.env, "acl_manager", groups="mkt_scoring.mkt_group_manager"
        )
        cls.portal = new_test_user(cls.env, "acl_portal", groups="base.group_portal")
        cls.suite_groups = cls.env.ref("mkt_scoring.mkt_group_user") | cls.env.ref(
            "mkt_scoring.mkt_group_manager"
        )

    def test_suite_has_models_to_check(self):
        models = self.suite_models.mapped("model")
        self.assertIn("mkt.customer.class", models)
        self.assertIn("mkt.score.analysis", models, "wizards need rules too")
        self.assertNotIn("res.partner", models)

    def test_every_model_has_rules_for_the_marketing_groups(self):
        for model in self.suite_models:
            with self.subTest(model=model.model):
                acls = model.access_ids
                self.assertTrue(
                    acls.group_id & self.suite_groups,
                    f"{model.model} has no access rule for Marketing / User or Manager",
                )
                self.assertFalse(
                    acls.filtered(lambda a: not a.group_id),
                    f"{model.model} has an access rule for everybody",
                )
                self.assertTrue(
                    self.env[model.model].with_user(self.manager).has_access("read"),
                    f"Marketing / Manager cannot read {model.model}",
                )

    def test_portal_users_read_no_suite_model(self):
        for model in self.suite_models:
            with self.subTest(model=model.model), self.assertRaises(AccessError):
                self.env[model.model].with_user(self.portal).check_access("read")
