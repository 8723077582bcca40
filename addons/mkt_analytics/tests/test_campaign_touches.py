from odoo.tests import tagged

from .common import AnalyticsCommon


@tagged("post_install", "-at_install", "mkt")
class TestCampaignTouches(AnalyticsCommon):
    """A campaign with an email step (unit cost 0.50 EUR) and a letter step
    (fixed 100 EUR) to Anna and Bert, next to the mass mailings."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        segment = cls.env["mkt.segment"].create(
            {"name": "Campaign audience", "domain": "[('customer_rank', '>', 0)]"}
        )
        template = cls.env["mail.template"].create(
            {
                "name": "Olive oil",
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "subject": "Our new olive oil",
                "body_html": "<p>Olive oil</p>",
            }
        )
        cls.campaign = cls.env["mkt.campaign"].create(
            {"name": "Olive oil launch", "segment_id": segment.id}
        )
        Activity = cls.env["mkt.campaign.activity"]
        cls.step_mail = Activity.create(
            {
                "campaign_id": cls.campaign.id,
                "name": "Invitation",
                "activity_type": "email",
                "mail_template_id": template.id,
                "unit_cost": 0.5,
            }
        )
        cls.step_letter = Activity.create(
            {
                "campaign_id": cls.campaign.id,
                "name": "Reply card",
                "activity_type": "letter",
                "letter_body": "<p>Reply card</p>",
                "fixed_cost": 100,
                "fixed_cost_booked": True,
            }
        )
        cls.participants = cls.env["mkt.campaign.participant"].create(
            [
                {"campaign_id": cls.campaign.id, "partner_id": partner.id}
                for partner in (cls.anna, cls.bert)
            ]
        )

    def campaign_trace(self, participant, step, days_ago, **values):
        return self.env["mkt.campaign.trace"].create(
            {
                "participant_id": participant.id,
                "activity_id": step.id,
                "campaign_id": self.campaign.id,
                "scheduled_at": self.ago(days_ago),
                "processed_at": self.ago(days_ago),
                "state": "processed",
                **values,
            }
        )

    def campaign_mail(self, participant, sent, clicked=None):
        trace = self.campaign_trace(participant, self.step_mail, sent)
        mail = self.env["mailing.trace"].create(
            {
                "model": "res.partner",
                "res_id": participant.partner_id.id,
                "email": participant.partner_id.email,
                "trace_status": "open" if clicked else "sent",
                "sent_datetime": self.ago(sent),
                "links_click_datetime": self.ago(clicked) if clicked else False,
                "mkt_campaign_trace_id": trace.id,
            }
        )
        trace.mailing_trace_id = mail
        return trace

    def test_campaign_email_click_is_a_campaign_touch(self):
        self.campaign_mail(self.participants[0], sent=8, clicked=6)
        self.add_trace(self.mailing_autumn, self.anna, sent=12, clicked=10)
        order = self.confirm_order(self.anna)
        rows = self.attribution(order)
        self.assertEqual(
            (rows.touch_kind, rows.campaign_id, rows.campaign_activity_id),
            ("campaign", self.campaign, self.step_mail),
        )
        self.set_rule("linear")
        rows = self.attribution(order)
        self.assertEqual(sorted(rows.mapped("touch_kind")), ["campaign", "mailing"])
        self.assertEqual(rows.mapped("weight"), [0.5, 0.5])

    def test_reply_card_is_a_campaign_touch(self):
        self.campaign_trace(
            self.participants[1],
            self.step_letter,
            20,
            response="letter",
            response_at=self.ago(4),
        )
        order = self.confirm_order(self.bert)
        rows = self.attribution(order)
        self.assertEqual(rows.campaign_activity_id, self.step_letter)

    def test_order_through_the_campaign_link(self):
        order = self.create_order(
            partner=self.bert, campaign_id=self.campaign.utm_campaign_id.id
        )
        order.action_confirm()
        rows = self.attribution(order)
        self.assertEqual(
            (rows.campaign_id, rows.campaign_activity_id.id), (self.campaign, False)
        )

    def book_campaign_costs(self):
        """The step costs as the campaign engine books them (naming the step),
        and an agency bill of 30 EUR, on the campaign's analytic account."""
        account = self.campaign.analytic_account_id
        if not account:
            account = self.campaign._create_analytic_account()
            self.campaign.analytic_account_id = account
        column = account.plan_id._column_name()
        self.env["account.analytic.line"].create(
            [
                {
                    "name": name,
                    "amount": -amount,
                    "mkt_campaign_activity_id": step.id,
                    column: account.id,
                }
                for name, amount, step in (
                    ("Invitation, 2 participants", 1.0, self.step_mail),
                    ("Reply card, fixed cost", 100.0, self.step_letter),
                    ("Agency", 30.0, self.env["mkt.campaign.activity"]),
                )
            ]
        )

    def test_overlapping_campaign_and_mailing_in_the_report(self):
        """Anna clicked the campaign email and the autumn mailing; Bert only the
        mailing. Last touch: Anna's order (40 EUR) goes to the campaign step."""
        self.book_campaign_costs()
        self.campaign_mail(self.participants[0], sent=8, clicked=2)
        self.campaign_mail(self.participants[1], sent=8)
        self.add_trace(self.mailing_autumn, self.anna, sent=12, clicked=10)
        self.add_trace(self.mailing_autumn, self.bert, sent=12, clicked=10)
        self.confirm_order(self.anna)
        self.confirm_order(self.bert, [(self.product_wine, 3)])
        Report = self.env["mkt.performance.report"]
        step = Report.search([("campaign_activity_id", "=", self.step_mail.id)])
        self.assertEqual(
            (step.recipients, step.opened, step.clicked, step.buyers, step.orders),
            (2, 1, 1, 1, 1),
        )
        self.assertEqual(step.revenue, 40)
        self.assertEqual(step.cost, 1.0, "2 mails at 0.50 EUR")
        self.assertAlmostEqual(step.roi, 39)
        mailing = Report.search([("mailing_id", "=", self.mailing_autumn.id)])
        self.assertEqual((mailing.orders, mailing.revenue), (1, 45))
        letter = Report.search([("campaign_activity_id", "=", self.step_letter.id)])
        self.assertEqual(letter.cost, 100)
        # The campaign's own row: what its account holds beyond the steps (the
        # agency's bill of 30 EUR).
        campaign_row = Report.search(
            [
                ("campaign_id", "=", self.campaign.id),
                ("campaign_activity_id", "=", False),
            ]
        )
        self.assertEqual(campaign_row.cost, 30)
        # Grouped by campaign: the revenue and cost of all its rows, as its
        # analytic account has them.
        [group] = Report.read_group(
            [("campaign_id", "=", self.campaign.id)],
            ["revenue:sum", "cost:sum", "roi"],
            ["campaign_id"],
        )
        self.assertEqual((group["revenue"], group["cost"]), (40, 131))
        self.assertAlmostEqual(group["roi"], (40 - 131) / 131)

    def test_campaign_revenue_reaches_the_campaign_account(self):
        account = self.campaign.analytic_account_id
        if not account:
            account = self.campaign._create_analytic_account()
            self.campaign.analytic_account_id = account
        order = self.create_order(
            partner=self.bert, campaign_id=self.campaign.utm_campaign_id.id
        )
        order.action_confirm()
        self.assertEqual(
            order.order_line.mapped("analytic_distribution"),
            [{str(account.id): 100.0}],
        )
