from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, tagged

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.mkt_campaign_flow.tests.common import START, CampaignCommon
from odoo.addons.mkt_scoring.tools.order_history import OrderHistoryBuilder


class CampaignVoucherCommon(CampaignCommon, MockEmail):
    """The campaign's six customers, four of them scored: a win-back voucher of
    10 % that gives lapsed customers 25 %, declining ones 20 % and growing ones
    nothing (no code at all)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lapsed, cls.declining, cls.growing, cls.regular = cls.customers[:4]
        cls.env["mkt.customer.score"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": cls.env.company.id,
                    "score": 10,
                    "trend": trend,
                    "score_date": "2026-01-01",
                }
                for partner, trend in (
                    (cls.lapsed, "lapsed"),
                    (cls.declining, "declining"),
                    (cls.growing, "growing"),
                    (cls.regular, "regular"),
                )
            ]
        )
        cls.program = cls.env["loyalty.program"].create(
            {
                "name": "Win-back: we miss you",
                "program_type": "coupons",
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
                    Command.create(values)
                    for values in (
                        {"condition": "trend", "trend": "growing"},
                        {
                            "condition": "trend",
                            "trend": "lapsed",
                            "discount_percent": 25,
                        },
                        {
                            "condition": "trend",
                            "trend": "declining",
                            "discount_percent": 20,
                        },
                    )
                ],
            }
        )
        cls.other_program = cls.program.copy({"name": "Second voucher"})
        cls.template_offer = cls.template_invitation.copy(
            {
                "name": "Win-back offer",
                "body_html": '<div><p>Your code: <t t-out="object.mkt_voucher_code"/>'
                ' for <t t-out="object.mkt_voucher_discount_text"/></p></div>',
            }
        )
        cls.expected_percent = {
            cls.lapsed: 25.0,
            cls.declining: 20.0,
            # no rule matches: the reward's 10 %
            cls.regular: 10.0,
            cls.customers[4]: 10.0,
            cls.customers[5]: 10.0,
        }

    def create_offer_campaign(self, **step_values):
        campaign = self.create_campaign()
        step = self.env["mkt.campaign.activity"].create(
            {
                "campaign_id": campaign.id,
                "name": "Win-back offer",
                "activity_type": "email",
                "mail_template_id": self.template_offer.id,
                "voucher_program_id": self.program.id,
                **step_values,
            }
        )
        return campaign, step

    def mail_to(self, mailing, partner):
        return self._new_mails.filtered(
            lambda mail: mail.mailing_id == mailing
            and mail.mailing_trace_ids.res_id == partner.id
        )


@tagged("post_install", "-at_install", "mkt")
class TestCampaignVoucher(CampaignVoucherCommon):
    def test_email_step_sends_each_participant_a_code(self):
        campaign, step = self.create_offer_campaign()
        reminder = self.env["mkt.campaign.activity"].create(
            {
                "campaign_id": campaign.id,
                "name": "Reminder",
                "activity_type": "email",
                "mail_template_id": self.template_offer.id,
                "voucher_program_id": self.program.id,
                "parent_id": step.id,
                "trigger": "parent",
                "interval_number": 1,
                "interval_type": "days",
            }
        )
        with freeze_time(START), self.mock_mail_gateway(mail_unlink_sent=False):
            campaign.action_start()
            self.assertEqual(step.mailing_id.mkt_voucher_program_id, self.program)
            campaign.action_process_now()
            # The processing runs again (the cron, a second click): no new codes.
            campaign.action_process_now()

            cards = self.program.coupon_ids
            self.assertEqual(
                cards.partner_id,
                self.customers - self.growing,
                "one code per participant, none for the growing customer (0 %)",
            )
            self.assertEqual(len(cards), 5)
            self.assertEqual(len(set(cards.mapped("code"))), 5)
            for card in cards:
                partner = card.partner_id
                self.assertEqual(
                    card.mkt_discount_percent,
                    self.expected_percent[partner],
                    partner.name,
                )
                self.assertEqual(card.mkt_mailing_id, step.mailing_id)
                discount_text = partner.with_context(
                    mkt_voucher_program_id=self.program.id
                ).mkt_voucher_discount_text
                mail = self.mail_to(step.mailing_id, partner)
                self.assertEqual(len(mail), 1, partner.name)
                self.assertIn(card.code, mail.body_html)
                self.assertIn(f"for {discount_text}", mail.body_html)
            # The growing customer got the mail, without a code.
            mail = self.mail_to(step.mailing_id, self.growing)
            self.assertEqual(len(mail), 1)
            for code in cards.mapped("code"):
                self.assertNotIn(code, mail.body_html)
            self.assertFalse(
                cards.filtered(lambda c: c.partner_id == self.growing).exists()
            )

        # A discount rule changed since: the codes keep what they promised,
        # and the reminder with the same voucher shows the same codes.
        self.program.mkt_discount_rule_ids[1].discount_percent = 30
        with (
            freeze_time(START + timedelta(days=1, hours=1)),
            self.mock_mail_gateway(mail_unlink_sent=False),
        ):
            campaign.action_process_now()
            self.assertEqual(self.program.coupon_ids, cards, "no second codes")
            self.assertEqual(
                cards.filtered(
                    lambda c: c.partner_id == self.lapsed
                ).mkt_discount_percent,
                25.0,
            )
            for card in cards:
                mail = self.mail_to(reminder.mailing_id, card.partner_id)
                self.assertEqual(len(mail), 1, card.partner_id.name)
                self.assertIn(card.code, mail.body_html)

    def test_letter_step_prints_each_participant_a_code(self):
        self.program.date_to = "2026-04-30"
        campaign = self.create_campaign()
        letter = self.env["mkt.campaign.activity"].create(
            {
                "campaign_id": campaign.id,
                "name": "Win-back letter",
                "activity_type": "letter",
                "letter_body": "<p>We miss you.</p>",
                "voucher_program_id": self.program.id,
            }
        )
        with freeze_time(START):
            campaign.action_start()
            campaign.action_process_now()
            campaign.action_process_now()
        cards = self.program.coupon_ids
        self.assertEqual(cards.partner_id, self.customers - self.growing)
        self.assertEqual(
            cards.mkt_source_id, self.env.ref("mkt_voucher.utm_source_print")
        )
        # Tests render the report as HTML (no wkhtmltopdf): the batch's letters.
        printed = letter.letter_attachment_ids.raw.decode()
        for card in cards:
            self.assertIn(card.code, printed)
        self.assertEqual(printed.count("o_mkt_letter_voucher_code"), len(cards))
        self.assertEqual(printed.count("04/30/2026"), len(cards))

    def test_mailing_follows_the_step_until_it_is_sent(self):
        campaign, step = self.create_offer_campaign()
        step_as_user = step.with_user(self.user_marketing)
        step_as_user.voucher_program_id = self.other_program
        with freeze_time(START):
            campaign.action_start()
        self.assertEqual(step.mailing_id.mkt_voucher_program_id, self.other_program)
        # Not sent yet: the mailing takes the voucher the step gets.
        step_as_user.voucher_program_id = self.program
        self.assertEqual(step.mailing_id.mkt_voucher_program_id, self.program)
        step_as_user.voucher_program_id = False
        self.assertFalse(step.mailing_id.mkt_voucher_program_id)
        step_as_user.voucher_program_id = self.program
        with freeze_time(START), self.mock_mail_gateway():
            campaign.action_process_now()

        # Sent: the participants hold their codes, the voucher stays.
        with self.assertRaises(UserError) as caught:
            step_as_user.write(
                {"name": "Renamed offer", "voucher_program_id": self.other_program.id}
            )
        message = str(caught.exception)
        self.assertIn('"Win-back offer"', message)
        self.assertIn('"Olive oil launch"', message)
        self.assertIn('"Voucher"', message)
        self.assertEqual(step.name, "Win-back offer", "nothing half-written")
        self.assertEqual(step.voucher_program_id, self.program)
        self.assertEqual(step.mailing_id.mkt_voucher_program_id, self.program)
        with self.assertRaises(UserError):
            step_as_user.voucher_program_id = False
        # Writing the same voucher again (a template sync does) is no change.
        step_as_user.write({"voucher_program_id": self.program.id, "unit_cost": 0.1})
        self.assertEqual(step.unit_cost, 0.1)

    def test_a_test_run_does_not_lock_the_voucher(self):
        campaign, step = self.create_offer_campaign()
        campaign.test_partner_id = self.lapsed
        with freeze_time(START), self.mock_mail_gateway():
            campaign.action_test()
            campaign.participant_ids.action_next_step_now()
        self.assertEqual(self.program.coupon_ids.partner_id, self.lapsed)
        step.voucher_program_id = self.other_program
        self.assertEqual(step.mailing_id.mkt_voucher_program_id, self.other_program)

    def test_only_emails_and_letters_carry_a_voucher(self):
        _campaign, step = self.create_offer_campaign()
        step.activity_type = "letter"
        self.assertEqual(step.voucher_program_id, self.program)
        step.activity_type = "phone"
        self.assertFalse(step.voucher_program_id)

    def test_campaigns_from_a_template_offer_its_voucher(self):
        template = self.create_campaign(is_template=True, name="Win-back template")
        self.env["mkt.campaign.activity"].create(
            {
                "campaign_id": template.id,
                "name": "Win-back offer",
                "activity_type": "email",
                "mail_template_id": self.template_offer.id,
                "voucher_program_id": self.program.id,
            }
        )
        campaign = self.create_campaign(template_id=template.id)
        campaign.action_sync_from_template()
        self.assertEqual(campaign.activity_ids.voucher_program_id, self.program)
        self.assertEqual(template.copy().activity_ids.voucher_program_id, self.program)

    def test_step_form_offers_the_voucher_for_emails_and_letters(self):
        campaign = self.create_campaign()
        form = Form(
            self.env["mkt.campaign.activity"]
            .with_user(self.user_marketing)
            .with_context(default_campaign_id=campaign.id)
        )
        form.name = "Win-back offer"
        form.activity_type = "email"
        form.mail_template_id = self.template_offer
        form.voucher_program_id = self.program
        form.activity_type = "sms"
        self.assertFalse(form.voucher_program_id)
        with self.assertRaises(AssertionError):
            form.voucher_program_id = self.program  # invisible for SMS
        form.activity_type = "letter"
        form.voucher_program_id = self.program
        step = form.save()
        self.assertEqual(step.voucher_program_id, self.program)


@tagged("post_install", "-at_install", "mkt")
class TestCampaignVoucherRecommendations(CampaignVoucherCommon):
    def test_recommendations_show_the_code_issued_by_the_same_mail(self):
        """The code the step issues is the personal discount of the products
        recommended in the same mail: codes first, then the rendering."""
        recent = date.today() - timedelta(days=20)
        builder = OrderHistoryBuilder(self.env)
        for customer in self.customers[1:]:
            builder.add_order(
                customer,
                recent,
                [(self.product_cheese, 1, None), (self.product_wine, 1, None)],
            )
        builder.add_order(self.lapsed, recent, [(self.product_cheese, 1, None)])
        builder.build()
        self.env["mkt.recommendation.engine"]._refresh_company(self.company)
        self.template_offer.body_html = (
            '<div><p>Your code: <t t-out="object.mkt_voucher_code"/></p>'
            '<t t-out="object.mkt_recommendation_discount_html"/></div>'
        )
        campaign, step = self.create_offer_campaign()
        campaign.action_start()
        with self.mock_mail_gateway(mail_unlink_sent=False):
            campaign.action_process_now()
        mail = self.mail_to(step.mailing_id, self.lapsed)
        self.assertIn("Riesling Spätlese", mail.body_html)
        self.assertIn("25 %", mail.body_html)
        # 15.00 at 25 % off
        self.assertIn("11.25", mail.body_html)
