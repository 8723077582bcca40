import re

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CampaignCommon


@tagged("post_install", "-at_install", "mkt")
class TestStepConstraints(CampaignCommon):
    """Bad step graphs are refused with a message naming the step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls.create_campaign()
        cls.first = cls.env["mkt.campaign.activity"].create(
            {
                "campaign_id": cls.campaign.id,
                "name": "First mail",
                "mail_template_id": cls.template_invitation.id,
            }
        )
        cls.second = cls.env["mkt.campaign.activity"].create(
            {
                "campaign_id": cls.campaign.id,
                "name": "Second mail",
                "mail_template_id": cls.template_opinion.id,
                "parent_id": cls.first.id,
                "trigger": "parent",
            }
        )

    def assert_refused(self, step_name, values, step=None):
        with self.assertRaisesRegex(ValidationError, re.escape(f'Step "{step_name}"')):
            if step:
                step.write(values)
            else:
                self.env["mkt.campaign.activity"].create(
                    {"campaign_id": self.campaign.id, "name": step_name, **values}
                )
            self.env.flush_all()

    def test_cycle(self):
        with self.assertRaisesRegex(ValidationError, 'Step "First mail": .*leads back'):
            self.first.write({"parent_id": self.second.id, "trigger": "parent"})

    def test_branch_trigger_without_parent(self):
        self.assert_refused(
            "Reminder",
            {"activity_type": "wait", "trigger": "not_responded"},
        )

    def test_mail_trigger_needs_email_parent(self):
        wait = self.env["mkt.campaign.activity"].create(
            {"campaign_id": self.campaign.id, "name": "Pause", "activity_type": "wait"}
        )
        self.assert_refused(
            "Clicked?",
            {"activity_type": "wait", "trigger": "clicked", "parent_id": wait.id},
        )

    def test_negative_delay(self):
        self.assert_refused("Second mail", {"interval_number": -2}, step=self.second)

    def test_negative_cost(self):
        self.assert_refused("Second mail", {"unit_cost": -1.0}, step=self.second)

    def test_window_ending_before_it_starts(self):
        with self.assertRaisesRegex(
            ValidationError, 'Step "Second mail": the window ends .* before it starts'
        ):
            self.second.write({"interval_number": 5, "window_end_number": 4})

    def test_email_without_template(self):
        with self.assertRaisesRegex(
            ValidationError, 'Step "Teaser": a step "Email" needs an "Email Template"'
        ):
            self.env["mkt.campaign.activity"].create(
                {
                    "campaign_id": self.campaign.id,
                    "name": "Teaser",
                    "activity_type": "email",
                }
            )

    def test_sms_and_action_need_their_record(self):
        self.assert_refused("Text", {"activity_type": "sms"})
        self.assert_refused("Tag them", {"activity_type": "action"})

    def test_invalid_filter(self):
        self.assert_refused(
            "Filtered",
            {"activity_type": "wait", "domain": "[('no_such_field', '=', 1)]"},
        )

    def test_nothing_half_written(self):
        with self.assertRaises(ValidationError):
            self.campaign.write(
                {
                    "name": "Renamed",
                    "activity_ids": [
                        (
                            1,
                            self.second.id,
                            {"interval_number": 3, "window_end_number": 1},
                        )
                    ],
                }
            )
        self.assertEqual(self.campaign.name, "Olive oil launch")
