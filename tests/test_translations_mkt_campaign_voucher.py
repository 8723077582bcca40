"""The letter of a campaign step with a voucher, to German customers: the
voucher block (code, personal discount, validity) speaks German too."""

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.mkt_campaign_flow.tests.common import CampaignCommon

# The module, not its test class: pytest would collect the class a second time.
from . import test_translations_rendering as rendering


@tagged("post_install", "-at_install", "mkt")
class TestCampaignVoucherLetterInGerman(CampaignCommon):
    check = rendering.TestTranslationsRendering.check
    assert_german = rendering.TestTranslationsRendering.assert_german

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        modules = cls.env["ir.module.module"].search([("state", "=", "installed")])
        modules._load_module_terms(modules.mapped("name"), ["de_DE"], overwrite=True)
        cls.env.registry.clear_cache()
        cls.terms = rendering.english_terms()

    def setUp(self):
        super().setUp()
        self.found = []

    def test_letter_with_voucher_in_german(self):
        self.customers.lang = "de_DE"
        # German customers by name too: the fixture's "Campaign customer N"
        # holds an English word of the suite ("Campaign").
        for index, customer in enumerate(self.customers):
            customer.name = f"Kundin {index}"
        program = self.env["loyalty.program"].create(
            {
                "name": "Rückgewinnung",
                "program_type": "coupons",
                "date_to": fields.Date.today(),
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": 10,
                            "discount_mode": "percent",
                            "discount_applicability": "order",
                            "required_points": 1,
                        }
                    )
                ],
                "mkt_discount_rule_ids": [
                    Command.create({"condition": "always", "discount_percent": 15})
                ],
            }
        )
        campaign = self.create_campaign()
        letter = self.env["mkt.campaign.activity"].create(
            {
                "campaign_id": campaign.id,
                "name": "Brief mit Gutschein",
                "activity_type": "letter",
                "letter_body": "<p>Wir vermissen Sie.</p>",
                "voucher_program_id": program.id,
            }
        )
        with freeze_time(fields.Datetime.now()):
            campaign.action_start()
            campaign.action_process_now()
        # Printed by a user whose own language is English.
        printed = letter.letter_attachment_ids.raw.decode()
        self.assertEqual(
            printed.count("Ihr persönlicher Gutscheincode"), len(self.customers)
        )
        self.assertIn("Gültig bis", printed)
        self.check(
            "the campaign letter with a voucher", rendering.texts_of_markup(printed)
        )
        self.assert_german()
