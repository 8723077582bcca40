from odoo.tests import tagged

from .common import CampaignCommon


@tagged("post_install", "-at_install", "mkt", "is_query_count")
class TestBatchQueries(CampaignCommon):
    """The queries of a batch do not grow with its size, for each channel."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template_static = cls.env["mail.template"].create(
            {
                "name": "Static links",
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "subject": "Our new olive oil",
                "email_from": "marketing@feinkost-welt.example",
                "body_html": """<p>Dear <t t-out="object.name"/>,
                    <a href="https://www.feinkost-welt.example/olive-oil">discover</a></p>""",
            }
        )
        cls.sms_template = cls.env["sms.template"].create(
            {
                "name": "SMS",
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "body": "Hello {{ object.name }}",
            }
        )
        cls.serial = 0

    def prepare(self, step_values, size):
        """A running campaign of ``size`` participants at one step."""
        type(self).serial += 1
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"Perf {self.serial}-{index}",
                    "email": f"perf{self.serial}-{index}@example.com",
                    "phone": f"+49 30 555 {index:04d}",
                    "user_id": self.user_salesman.id,
                }
                for index in range(size)
            ]
        )
        campaign = self.create_campaign(name=f"Perf {self.serial}")
        self.env["mkt.campaign.activity"].create(
            {
                "campaign_id": campaign.id,
                "name": "Step",
                "unit_cost": 1.0,
                **step_values,
            }
        )
        campaign.activity_ids._get_or_create_mailing()
        campaign.state = "running"
        campaign._enter_partners(partners.ids)
        self.env.flush_all()
        self.env.invalidate_all()
        return campaign

    def process(self, campaign):
        processed = self.env["mkt.campaign.trace"]._process_next_batch(
            1000, campaigns=campaign
        )
        self.env.flush_all()
        return processed

    def queries(self, campaign):
        before = self.cr.sql_log_count
        self.process(campaign)
        return self.cr.sql_log_count - before

    def assert_constant(self, step_values, per_record=0):
        self.queries(self.prepare(step_values, 3))  # warm the caches
        small = self.queries(self.prepare(step_values, 5))
        large = self.prepare(step_values, 40)
        with self.assertQueryCount(small + per_record * (40 - 5)):
            self.process(large)
        traces = large.participant_ids.trace_ids
        self.assertEqual(len(traces), 40)
        self.assertEqual(set(traces.mapped("state")), {"processed"})

    def test_email_batch(self):
        self.assert_constant(
            {"activity_type": "email", "mail_template_id": self.template_static.id}
        )

    def test_sms_batch(self):
        self.assert_constant(
            {"activity_type": "sms", "sms_template_id": self.sms_template.id}
        )

    def test_phone_batch(self):
        self.assert_constant({"activity_type": "phone", "call_script": "<p>Hi</p>"})

    def test_lead_batch(self):
        # crm.lead.create() looks up the won stages once per lead
        # (_handle_won_lost): core's one query per lead, nothing of ours.
        self.assert_constant({"activity_type": "lead"}, per_record=1)

    def test_wait_batch(self):
        self.assert_constant({"activity_type": "wait"})

    def test_letter_batch(self):
        self.assert_constant({"activity_type": "letter", "letter_body": "<p>Hello</p>"})
