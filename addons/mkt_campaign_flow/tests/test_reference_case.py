from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import START, CampaignCommon, decode_code128_svg


@tagged("post_install", "-at_install", "mkt")
class TestReferenceCase(CampaignCommon):
    """The issue's reference case, end to end: invitation with a free sample,
    opinion 4-5 days later, then leads for responders, a 'why not' email and a
    call for the others; letters with reply cards; opportunities, a won order
    and the costs on the analytic account and in the customer score."""

    def run_cron(self):
        self.env.ref(
            "mkt_campaign_flow.ir_cron_campaign_process"
        ).method_direct_trigger()

    def confirm_order(self, partner):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [(0, 0, {"product_id": self.product_cheese.id})],
            }
        )
        order.action_confirm()
        return order

    def test_reference_case(self):
        blacklisted, opted_out, archived = self.env["res.partner"].create(
            [
                {"name": "Blacklisted", "email": "bl@campaign.example.com"},
                {
                    "name": "Opted out",
                    "email": "out@campaign.example.com",
                    "mkt_campaign_opt_out": True,
                },
                {"name": "Archived", "email": "old@campaign.example.com"},
            ]
        )
        self.env["mail.blacklist"]._add(blacklisted.email)
        archived.action_archive()
        a, b, c, d, e, f = self.customers
        campaign = self.create_campaign()
        invitation, letter, opinion, lead_step, why, call = self.create_reference_steps(
            campaign
        )

        # Day 0: the segment enters, invitation emails and letters go out.
        with freeze_time(START):
            campaign.action_start()
            participants = campaign.participant_ids
            self.assertEqual(participants.partner_id, self.customers)
            self.run_cron()
        by_partner = {p.partner_id: p for p in participants}
        mails = self.env["mail.mail"].search(
            [("mailing_id", "=", invitation.mailing_id.id)]
        )
        self.assertEqual(
            sorted(mails.mailing_trace_ids.mapped("res_id")), sorted(self.customers.ids)
        )
        invitation_traces = participants.trace_ids.filtered(
            lambda t: t.activity_id == invitation
        )
        self.assertEqual(set(invitation_traces.mapped("state")), {"processed"})
        self.assertEqual(
            invitation_traces.mailing_trace_id.mkt_campaign_trace_id, invitation_traces
        )
        # Each participant's mail carries the link to its own contact form.
        mail_a = mails.filtered(lambda m: m.mailing_trace_ids.res_id == a.id)
        self.assertIn("/r/", mail_a.body_html, "links are tracked")
        self.assertEqual(invitation.mailing_id.campaign_id, campaign.utm_campaign_id)
        # Letters: one PDF for the batch, each letter with a readable barcode.
        self.assertEqual(len(letter.letter_attachment_ids), 1)
        letter_traces = participants.trace_ids.filtered(
            lambda t: t.activity_id == letter
        )
        self.assertEqual(
            letter_traces.letter_attachment_id, letter.letter_attachment_ids
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "mkt_campaign_flow.report_campaign_letter", by_partner[d].ids
            )[0]
            .decode()
        )
        uri = by_partner[d]._barcode_svg(by_partner[d].barcode)
        self.assertIn(uri, html)
        self.assertEqual(decode_code128_svg(uri), by_partner[d].barcode)
        self.assertRegex(by_partner[d].barcode, r"^MKT\d{9}$")

        # Responses during the first days.
        with freeze_time(START + timedelta(days=1)):
            mail_a.mailing_trace_ids.set_clicked()
            by_partner[b]._register_contact_form(message="Send me the sample", phone="")
            self.confirm_order(c)
            status, participant = self.env[
                "mkt.campaign.participant"
            ]._register_response_by_barcode(f"  {by_partner[d].barcode.lower()} ")
            self.assertEqual((status, participant), ("registered", by_partner[d]))
            self.assertEqual(
                self.env["mkt.campaign.participant"]._register_response_by_barcode(
                    by_partner[d].barcode
                )[0],
                "already",
                "a second scan changes nothing",
            )
            self.assertEqual(
                self.env["mkt.campaign.participant"]._register_response_by_barcode(
                    "MKT999999999"
                )[0],
                "unknown",
            )
        self.assertEqual(
            {p.partner_id: p.response_source for p in participants if p.responded},
            {a: "email", b: "form", c: "order", d: "letter"},
        )
        self.assertEqual(
            by_partner[b].lead_id.type, "opportunity", "interest confirmed"
        )
        self.assertEqual(
            invitation_traces.filtered(lambda t: t.partner_id == a).response, "email"
        )

        # Day 4 to 5: the opinion email, spread over the window.
        with freeze_time(START + timedelta(days=4)):
            self.run_cron()
            opinion_traces = participants.trace_ids.filtered(
                lambda t: t.activity_id == opinion
            )
            self.assertEqual(len(opinion_traces), 6)
            self.assertTrue(
                all(
                    START + timedelta(days=4)
                    <= t.scheduled_at
                    <= START + timedelta(days=5)
                    for t in opinion_traces
                )
            )
        with freeze_time(START + timedelta(days=5)):
            self.run_cron()
        self.assertEqual(set(opinion_traces.mapped("state")), {"processed"})

        # Day 6: responders become leads, the others get an email and a call.
        with freeze_time(START + timedelta(days=6, hours=1)):
            self.run_cron()
        lead_traces = participants.trace_ids.filtered(
            lambda t: t.activity_id == lead_step
        )
        self.assertEqual(
            lead_traces.filtered(lambda t: t.state == "processed").partner_id,
            a | b | c | d,
        )
        self.assertEqual(
            lead_traces.filtered(lambda t: t.state == "canceled").partner_id, e | f
        )
        leads = participants.lead_id
        self.assertEqual(leads.partner_id, a | b | c | d)
        self.assertEqual(by_partner[b].lead_id.type, "opportunity")
        self.assertEqual(
            by_partner[a].lead_id.type, "lead", "a click is no confirmed interest"
        )
        self.assertEqual(leads.campaign_id, campaign.utm_campaign_id)
        why_traces = participants.trace_ids.filtered(
            lambda t: t.activity_id == why and t.state == "processed"
        )
        self.assertEqual(why_traces.partner_id, e | f)
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("mailing_id", "=", why.mailing_id.id)]
            ),
            2,
        )
        call_traces = participants.trace_ids.filtered(
            lambda t: t.activity_id == call and t.state == "processed"
        )
        self.assertEqual(call_traces.partner_id, e | f)
        self.assertEqual(call_traces.mail_activity_id.user_id, self.user_salesman)
        self.assertEqual(
            call_traces.mail_activity_id.activity_type_id,
            self.env.ref("mail.mail_activity_data_call"),
        )
        self.assertIn(
            "sample did not convince", str(call_traces.mail_activity_id[0].note)
        )

        # The call results are recorded; an interested answer is a response.
        call_e = call_traces.filtered(lambda t: t.partner_id == e)
        call_e.with_user(self.user_salesman).action_record_call(
            "interested", "Wants a tasting set"
        )
        call_f = call_traces.filtered(lambda t: t.partner_id == f)
        call_f.mail_activity_id.action_feedback(feedback="Busy, call again in May")
        self.assertEqual(call_e.call_result, "interested")
        self.assertFalse(call_e.mail_activity_id, "the activity is done")
        self.assertEqual(call_f.call_note, "Busy, call again in May")
        self.assertTrue(by_partner[e].responded)
        self.assertEqual(by_partner[e].response_source, "call")

        # An opportunity whose order is confirmed is won; the partner a customer.
        with freeze_time(START + timedelta(days=8)):
            order = self.confirm_order(b)
        lead_b = by_partner[b].lead_id
        self.assertEqual(lead_b.probability, 100)
        self.assertTrue(lead_b.stage_id.is_won)
        self.assertEqual(order.opportunity_id, lead_b)
        self.assertGreater(b.customer_rank, 0)
        self.assertEqual(campaign.won_count, 1)
        self.assertEqual(campaign.participant_count, 6)
        self.assertEqual(campaign.responded_count, 5)
        self.assertTrue(all(p.state == "completed" for p in participants))

        # Funnel: entered 6, the branches shrink.
        funnel = {
            step: (step.reached_count, step.responded_count)
            for step in campaign.activity_ids
        }
        self.assertEqual(funnel[invitation], (6, 5))
        self.assertEqual(funnel[opinion], (6, 5))
        self.assertEqual(funnel[lead_step], (4, 4))
        self.assertEqual(funnel[why], (2, 1))

        # Costs: fixed once plus per participant, on the analytic account.
        expected = 100 + 6 * 0.5 + 6 * 1.2 + 6 * 0.5 + 2 * 0.5 + 2 * 3.0
        self.assertAlmostEqual(campaign.cost_actual, expected)
        self.assertEqual(len(invitation.mapped("fixed_cost_booked")), 1)
        # Each booked line names its step: the costs per step.
        action = campaign.action_open_costs()
        self.assertEqual(
            action["context"], {"search_default_group_mkt_campaign_activity": 1}
        )
        per_step = {
            step: -amount
            for step, amount in self.env["account.analytic.line"]._read_group(
                action["domain"], ["mkt_campaign_activity_id"], ["amount:sum"]
            )
        }
        expected_per_step = {
            invitation: 100 + 6 * 0.5,
            letter: 6 * 1.2,
            opinion: 6 * 0.5,
            why: 2 * 0.5,
            call: 2 * 3.0,
        }
        self.assertEqual(
            {step: round(cost, 2) for step, cost in per_step.items()},
            {step: round(cost, 2) for step, cost in expected_per_step.items()},
        )
        # ... and in the customers' advertising costs for the score.
        self.env.flush_all()
        self.env.cr.execute(
            self.env["mkt.score.engine"]._ad_costs_sql(self.env.company)
        )
        per_partner = {}
        for partner_id, _day, amount in self.env.cr.fetchall():
            per_partner[partner_id] = per_partner.get(partner_id, 0) + float(amount)
        self.assertAlmostEqual(sum(per_partner.values()), expected)
        self.assertAlmostEqual(per_partner[e.id], 100 / 6 + 0.5 + 1.2 + 0.5 + 0.5 + 3.0)
