from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.sms.tests.common import MockSMS

from .common import START, CampaignCommon


@tagged("post_install", "-at_install", "mkt")
class TestCampaign(CampaignCommon, MockSMS):
    def test_entry_rules_and_later_members(self):
        campaign = self.create_campaign()
        self.create_reference_steps(campaign)
        with freeze_time(START):
            campaign.action_start()
        self.assertEqual(campaign.participant_count, 6)
        self.assertEqual(len(set(campaign.participant_ids.mapped("barcode"))), 6)
        # Joining the segment later: enters on the next sync, once.
        newcomer = self.env["res.partner"].create(
            {"name": "Newcomer", "email": "new@campaign.example.com"}
        )
        campaign.action_sync_participants()
        campaign.action_sync_participants()
        self.assertEqual(campaign.participant_count, 7)
        self.assertIn(newcomer, campaign.participant_ids.partner_id)

    def test_click_after_open_is_the_traces_response(self):
        campaign = self.create_campaign()
        invitation, *_rest = self.create_reference_steps(campaign)
        with freeze_time(START):
            campaign.action_start()
            campaign.action_process_now()
        trace = invitation.trace_ids.filtered(
            lambda t: t.participant_id.partner_id == self.customers[0]
        )
        with freeze_time(START + timedelta(hours=2)):
            trace.mailing_trace_id.set_opened()
        self.assertEqual(trace.response, "opened")
        self.assertFalse(trace.participant_id.responded, "an open is no response")
        with freeze_time(START + timedelta(hours=3)):
            trace.mailing_trace_id.set_clicked()
        self.assertEqual(trace.response, "email")
        self.assertEqual(trace.response_at, START + timedelta(hours=3))
        self.assertEqual(trace.participant_id.response_source, "email")

    def test_marketing_user_without_template_rights_runs_email_steps(self):
        """Odoo lets only mail template editors write dynamic mail content: a
        marketing user who is none still runs a campaign with the templates
        they chose."""
        marketing = self.user_marketing
        self.assertFalse(marketing.has_group("mail.group_mail_template_editor"))
        campaign = self.create_campaign().with_user(marketing)
        invitation, *_rest = self.create_reference_steps(campaign)
        with freeze_time(START):
            campaign.action_start()
            campaign.action_process_now()
        mails = self.env["mail.mail"].search(
            [("mailing_id", "=", invitation.mailing_id.id)]
        )
        self.assertEqual(set(invitation.trace_ids.mapped("state")), {"processed"})
        self.assertEqual(len(mails), len(self.customers))
        customer = self.customers[0]
        mail = mails.filtered(lambda m: m.mailing_trace_ids.res_id == customer.id)
        self.assertIn(f"Dear {customer.name},", mail.body_html)

    def test_sms_step_queues_sms(self):
        campaign = self.create_campaign()
        sms_template = self.env["sms.template"].create(
            {
                "name": "Olive oil SMS",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "body": "Hello {{ object.name }}, your free sample is waiting.",
            }
        )
        step = self.env["mkt.campaign.activity"].create(
            {
                "campaign_id": campaign.id,
                "name": "SMS reminder",
                "activity_type": "sms",
                "sms_template_id": sms_template.id,
                "unit_cost": 0.09,
            }
        )
        campaign.action_start()
        campaign.action_process_now()
        traces = campaign.participant_ids.trace_ids
        self.assertEqual(
            set(traces.mapped("state")), {"processed"}, traces.mapped("state_message")
        )
        sms = self.env["sms.sms"].search([("partner_id", "in", self.customers.ids)])
        self.assertEqual(len(sms), 6)
        self.assertEqual(set(sms.mapped("state")), {"outgoing"})
        self.assertIn("Campaign customer 0", sms.sorted("id")[0].body)
        with self.mockSMSGateway():
            sms.send()
        self.assertEqual(len(self._sms), 6)
        self.assertEqual(step.reached_count, 6)
        self.assertAlmostEqual(campaign.cost_actual, 0.54)

    def test_server_action_and_filter(self):
        campaign = self.create_campaign()
        action = self.env["ir.actions.server"].create(
            {
                "name": "Mark as campaign target",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "state": "code",
                "code": "records.write({'comment': 'olive oil'})",
            }
        )
        self.env["mkt.campaign.activity"].create(
            {
                "campaign_id": campaign.id,
                "name": "Tag",
                "activity_type": "action",
                "server_action_id": action.id,
                "domain": "[('email', '=ilike', 'customer1%')]",
            }
        )
        campaign.action_start()
        campaign.action_process_now()
        self.assertEqual(
            self.customers.filtered(lambda p: p.comment).mapped("name"),
            ["Campaign customer 1"],
        )
        self.assertEqual(
            sorted(campaign.participant_ids.trace_ids.mapped("state")),
            ["canceled"] * 5 + ["processed"],
        )

    def test_step_failure_is_kept_on_the_trace(self):
        campaign = self.create_campaign()
        action = self.env["ir.actions.server"].create(
            {
                "name": "Broken",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "state": "code",
                "code": "raise UserError('printer on fire')",
            }
        )
        self.env["mkt.campaign.activity"].create(
            {
                "campaign_id": campaign.id,
                "name": "Broken",
                "activity_type": "action",
                "server_action_id": action.id,
            }
        )
        campaign.action_start()
        with self.assertLogs(
            "odoo.addons.mkt_campaign_flow.models.mkt_campaign_trace", "ERROR"
        ):
            campaign.action_process_now()
        traces = campaign.participant_ids.trace_ids
        self.assertEqual(set(traces.mapped("state")), {"error"})
        self.assertIn("printer on fire", traces[0].state_message)
        action.code = "records.write({'comment': 'fixed'})"
        traces.action_retry()
        self.assertEqual(set(traces.mapped("state")), {"scheduled"})
        campaign.action_process_now()
        self.assertEqual(set(traces.mapped("state")), {"processed"})

    def test_test_mode_next_step_now(self):
        campaign = self.create_campaign(test_partner_id=self.customers[0].id)
        invitation, letter, opinion, *_rest = self.create_reference_steps(campaign)
        with freeze_time(START):
            campaign.action_test()
            participant = campaign.participant_ids
            self.assertEqual(participant.partner_id, self.customers[0])
            self.assertTrue(participant.is_test)
            participant.action_next_step_now()
            participant.action_next_step_now()
            # The opinion email is 4 days away: "next step now" runs it now.
            participant.action_next_step_now()
        self.assertEqual(
            participant.trace_ids.filtered(
                lambda t: t.state == "processed"
            ).activity_id,
            invitation | letter | opinion,
        )
        self.assertEqual(campaign.participant_count, 0, "test runs are not counted")
        campaign.action_start()
        self.assertFalse(campaign.participant_ids.filtered("is_test"))
        self.assertEqual(campaign.participant_count, 6)

    def test_cannot_start_template_or_empty(self):
        template = self.create_campaign(is_template=True)
        with self.assertRaisesRegex(UserError, "template"):
            template.action_start()
        with self.assertRaisesRegex(UserError, "has no steps"):
            self.create_campaign().action_start()

    def test_template_sync(self):
        template = self.create_campaign(name="Launch template", is_template=True)
        invitation, *_rest = self.create_reference_steps(template)
        campaign = self.create_campaign(template_id=template.id)
        self.assertEqual(len(campaign.activity_ids), 6)
        copied_opinion = campaign.activity_ids.filtered(
            lambda a: a.name == "Your opinion"
        )
        self.assertEqual(copied_opinion.parent_id.campaign_id, campaign)
        # The template changes; the campaign follows on request.
        invitation.unit_cost = 0.7
        self.env["mkt.campaign.activity"].create(
            {
                "campaign_id": template.id,
                "name": "Thank you",
                "activity_type": "wait",
                "parent_id": invitation.id,
                "trigger": "parent",
            }
        )
        campaign.action_sync_from_template()
        self.assertEqual(len(campaign.activity_ids), 7)
        copied_invitation = campaign.activity_ids.filtered(
            lambda a: a.template_activity_id == invitation
        )
        self.assertEqual(copied_invitation.unit_cost, 0.7)
        self.assertEqual(
            campaign.activity_ids.filtered(lambda a: a.name == "Thank you").parent_id,
            copied_invitation,
        )

    def test_template_sync_removes_steps_the_template_dropped(self):
        template = self.create_campaign(name="Launch template", is_template=True)
        invitation, _letter, opinion, _lead, why, _call = self.create_reference_steps(
            template
        )
        campaign = self.create_campaign(template_id=template.id)
        by_source = {a.template_activity_id: a for a in campaign.activity_ids}
        by_hand = self.env["mkt.campaign.activity"].create(
            {
                "campaign_id": campaign.id,
                "name": "Added by hand",
                "activity_type": "wait",
                "parent_id": by_source[opinion].id,
                "trigger": "parent",
            }
        )
        kept_why = by_source[why]
        # The template loses its invitation (with the steps below it but the
        # opinion, which moves to the root) and the "why not" email.
        opinion.write({"parent_id": False, "trigger": "begin"})
        why.unlink()
        invitation.unlink()
        self.assertFalse(by_source[invitation].template_activity_id)
        campaign.action_sync_from_template()
        self.assertFalse(by_source[invitation].exists())
        self.assertFalse(kept_why.exists())
        self.assertEqual(
            sorted(campaign.activity_ids.mapped("name")),
            sorted(
                [
                    "Catalog letter with reply card",
                    "Your opinion",
                    "Lead for responders",
                    "Follow-up call",
                    "Added by hand",
                ]
            ),
        )
        self.assertFalse(by_source[opinion].parent_id)
        self.assertEqual(by_hand.parent_id, by_source[opinion], "steps by hand stay")

    def test_template_sync_keeps_a_dropped_step_that_already_ran(self):
        template = self.create_campaign(name="Launch template", is_template=True)
        invitation, *_rest = self.create_reference_steps(template)
        campaign = self.create_campaign(template_id=template.id)
        campaign.action_start()
        campaign.action_process_now()
        step = campaign.activity_ids.filtered(
            lambda a: a.template_activity_id == invitation
        )
        self.assertIn("processed", step.trace_ids.mapped("state"))
        invitation.unlink()
        with self.assertRaisesRegex(UserError, "already run for participants"):
            campaign.action_sync_from_template()
        self.assertTrue(step.exists())

    def test_scan_wizard(self):
        campaign = self.create_campaign()
        self.create_reference_steps(campaign)
        with freeze_time(START):
            campaign.action_start()
            campaign.action_process_now()
        first, second = campaign.participant_ids.sorted("id")[:2]
        wizard = self.env["mkt.campaign.scan"].create(
            {
                "campaign_id": campaign.id,
                "codes": f"{first.barcode}\nNOPE\n{first.barcode}",
            }
        )
        wizard.action_register()
        # A scanner types the code and Enter, scan after scan.
        with Form(wizard) as scan:
            scan.code = second.barcode
            self.assertFalse(scan.code)
            scan.code = "MKT000000000"
            self.assertEqual(scan.codes, f"{second.barcode}\nMKT000000000")
        wizard.action_register()
        self.assertEqual(
            (wizard.registered_count, wizard.already_count, wizard.unknown_count),
            (2, 1, 2),
        )
        self.assertIn("unknown reference", wizard.result)
        self.assertTrue(first.responded and second.responded)
        letter_trace = first.trace_ids.filtered(lambda t: t.activity_type == "letter")
        self.assertEqual(letter_trace.response, "letter")

    def test_order_outside_window_is_no_response(self):
        campaign = self.create_campaign(response_days=3)
        self.create_reference_steps(campaign)
        with freeze_time(START):
            campaign.action_start()
            campaign.action_process_now()
        with freeze_time(START + timedelta(days=1)):
            late = self.env["sale.order"].create(
                {
                    "partner_id": self.customers[0].id,
                    "order_line": [(0, 0, {"product_id": self.product_cheese.id})],
                }
            )
            late.action_confirm()
        participant = campaign.participant_ids.filtered(
            lambda p: p.partner_id == self.customers[0]
        )
        self.assertTrue(participant.responded)
        with freeze_time(START + timedelta(days=10)):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.customers[1].id,
                    "order_line": [(0, 0, {"product_id": self.product_cheese.id})],
                }
            )
            order.action_confirm()
        other = campaign.participant_ids.filtered(
            lambda p: p.partner_id == self.customers[1]
        )
        self.assertFalse(other.responded)

    def test_call_trace_shows_the_number_and_the_script(self):
        campaign = self.create_campaign()
        step = self.env["mkt.campaign.activity"].create(
            {
                "campaign_id": campaign.id,
                "name": "Call",
                "activity_type": "phone",
                "call_script": "<p>Ask about the sample.</p>",
            }
        )
        self.customers[0].mobile = "+49 170 1234567"
        campaign.action_start()
        campaign.action_process_now()
        trace = campaign.participant_ids.trace_ids.filtered(
            lambda t: t.partner_id == self.customers[0] and t.activity_id == step
        )
        self.assertEqual(
            (trace.partner_phone, trace.partner_mobile),
            ("+49 40 1234 5600", "+49 170 1234567"),
        )
        self.assertIn("Ask about the sample.", trace.call_script)
        arch = self.env["mkt.campaign.trace"].get_view(view_type="form")["arch"]
        for field_name in ("partner_phone", "partner_mobile"):
            self.assertRegex(arch, f'name="{field_name}"[^>]*widget="phone"')
        self.assertIn('name="call_script"', arch)
