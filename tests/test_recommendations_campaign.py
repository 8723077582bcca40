from datetime import date, timedelta

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.mkt_campaign_flow.tests.common import CampaignCommon
from odoo.addons.mkt_scoring.tools.order_history import OrderHistoryBuilder


@tagged("post_install", "-at_install", "mkt")
class TestRecommendationsInCampaignMails(CampaignCommon, MockEmail):
    """A campaign email step renders each participant's recommended products
    and records them, as a newsletter does (mkt_scoring and mkt_campaign_flow
    together)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        recent = date.today() - timedelta(days=20)
        builder = OrderHistoryBuilder(cls.env)
        for customer in cls.customers[1:]:
            builder.add_order(
                customer,
                recent,
                [(cls.product_cheese, 1, None), (cls.product_wine, 1, None)],
            )
        builder.add_order(cls.customers[0], recent, [(cls.product_cheese, 1, None)])
        builder.build()
        cls.env["mkt.recommendation.engine"]._refresh_company(cls.company)
        cls.template_recommendations = cls.env["mail.template"].create(
            {
                "name": "Recommendations",
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "subject": "Chosen for you",
                "email_from": "marketing@feinkost-welt.example",
                "body_html": '<div><p>Dear <t t-out="object.name"/>,</p>'
                '<t t-out="object.mkt_recommendation_html"/></div>',
            }
        )

    def test_campaign_email_step(self):
        campaign = self.create_campaign()
        step = self.env["mkt.campaign.activity"].create(
            {
                "campaign_id": campaign.id,
                "name": "Recommendations",
                "activity_type": "email",
                "mail_template_id": self.template_recommendations.id,
            }
        )
        campaign.action_start()
        with self.mock_mail_gateway(mail_unlink_sent=False):
            campaign.action_process_now()
        mail = self._new_mails.filtered(
            lambda m: self.customers[0] in m.recipient_ids
            or m.mailing_trace_ids.res_id == self.customers[0].id
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("Riesling Spätlese", mail.body_html)
        sent = self.env["mkt.recommendation.mail"].search(
            [("mailing_id", "=", step.mailing_id.id)]
        )
        self.assertIn(self.customers[0], sent.partner_id)
        self.assertEqual(
            sent.filtered(lambda s: s.partner_id == self.customers[0]).product_id[:1],
            self.product_wine,
        )
