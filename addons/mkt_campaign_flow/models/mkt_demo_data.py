"""Demo story of the campaigns: Feinkost Welt launches an olive oil from Crete.

The reference case, run a week back: private customers in the north get an
invitation with a free sample; some click or ask for the sample on the contact
form; four days later everybody gets the opinion email; then responders
become leads (those who asked for the sample are opportunities, one already
won) and the others get a "why not?" email and a call from the sales team,
and a catalog letter with a reply card, due when the demo is built and printed
by the campaign cron as soon as the server runs (wkhtmltopdf needs it).
"""

import logging
import random
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.mkt_scoring.models.mkt_demo_data import SEED

_logger = logging.getLogger(__name__)

INVITATION = """<div>
<p>Guten Tag <t t-out="object.name"/>,</p>
<p>unser neues Olivenöl extra vergine aus Kreta ist da: kaltgepresst, aus der
ersten Ernte, mit feiner Schärfe. Probieren Sie es, wir schicken Ihnen gern eine
kostenlose Probe.</p>
<p><a t-att-href="object.mkt_campaign_contact_url">Gratisprobe anfordern</a> ·
<a href="https://www.feinkost-welt.example/olivenoel-kreta">Mehr erfahren</a></p>
<p>Herzliche Grüße<br/>Ihr Team von Feinkost Welt</p></div>"""
OPINION = """<div>
<p>Guten Tag <t t-out="object.name"/>,</p>
<p>wie gefällt Ihnen unser Olivenöl aus Kreta? Sagen Sie uns Ihre Meinung und ob
Sie es bestellen möchten.</p>
<p><a t-att-href="object.mkt_campaign_contact_url">Ihre Meinung</a></p>
<p>Herzliche Grüße<br/>Ihr Team von Feinkost Welt</p></div>"""
WHY_NOT = """<div>
<p>Guten Tag <t t-out="object.name"/>,</p>
<p>schade, dass unser Olivenöl Sie noch nicht überzeugt hat. Was hat gefehlt?
Antworten Sie einfach auf diese E-Mail.</p>
<p>Herzliche Grüße<br/>Ihr Team von Feinkost Welt</p></div>"""


class MktDemoData(models.AbstractModel):
    _inherit = "mkt.demo.data"

    @api.model
    def _generate_campaign_demo(self):
        """The reference campaign on the demo company, run a week back."""
        rng = random.Random(SEED + 6)
        segment = self.env["mkt.segment"].create(
            {
                "name": "Privatkunden Nord (PLZ 1-2)",
                "domain": "[('is_company', '=', False), ('customer_rank', '>', 0)]",
                "zip_from": "1",
                "zip_to": "2",
            }
        )
        templates = self.env["mail.template"].create(
            [
                {
                    "name": name,
                    "model_id": self.env["ir.model"]._get_id("res.partner"),
                    "subject": subject,
                    "email_from": "marketing@feinkost-welt.example",
                    "body_html": body,
                }
                for name, subject, body in (
                    (
                        "Olivenöl Kreta: Einladung",
                        "Neu: Olivenöl aus Kreta – Ihre Gratisprobe",
                        INVITATION,
                    ),
                    ("Olivenöl Kreta: Ihre Meinung", "Wie gefällt es Ihnen?", OPINION),
                    ("Olivenöl Kreta: Warum nicht?", "Was hat gefehlt?", WHY_NOT),
                )
            ]
        )
        team = self.env.ref(
            "sales_team.team_sales_department", raise_if_not_found=False
        )
        template = self.env["mkt.campaign"].create(
            {
                "name": "Vorlage: Produkteinführung mit Gratisprobe",
                "is_template": True,
                "stage_id": self.env.ref(
                    "mkt_campaign_flow.mkt_campaign_stage_planning"
                ).id,
                "goal": "Neukunden für ein neues Produkt gewinnen: Probe, Meinung, "
                "Nachfassen per E-Mail und Telefon.",
            }
        )
        self._create_reference_steps(template, templates)
        campaign = self.env["mkt.campaign"].create(
            {
                "name": "Olivenöl aus Kreta: Gratisprobe",
                "template_id": template.id,
                "segment_id": segment.id,
                "team_id": team.id if team else False,
                "budget": 2500.0,
                "stage_id": self.env.ref(
                    "mkt_campaign_flow.mkt_campaign_stage_running"
                ).id,
                "goal": "200 Proben, 40 Bestellungen in vier Wochen.",
            }
        )
        self.env["mkt.campaign"].create(
            {
                "name": "Trüffel-Saison: Gratisprobe",
                "template_id": template.id,
                "segment_id": segment.id,
                "budget": 1800.0,
            }
        )
        campaign.action_start()
        self.env["mkt.campaign.trace"]._process_due(campaigns=campaign)
        participants = campaign.participant_ids.sorted("id")
        self._demo_responses(rng, campaign, participants)
        self._age(campaign, 4.5)  # the opinion email, spread over a day
        self._age(campaign, 1)
        self._age(campaign, 1.5)  # leads, "why not?" mails and calls
        self._demo_calls(rng, campaign)
        self._make_letters_due(campaign)
        with_lead = participants.filtered("lead_id")
        won = (
            with_lead.filtered(lambda p: p.lead_id.type == "opportunity") or with_lead
        )[:1]
        if won:
            self._campaign_demo_order(won.partner_id)
        _logger.info(
            "mkt demo: campaign with %s participants, %s responded",
            campaign.participant_count,
            campaign.responded_count,
        )

    def _create_reference_steps(self, campaign, templates):
        Activity = self.env["mkt.campaign.activity"]
        invitation = Activity.create(
            {
                "campaign_id": campaign.id,
                "name": "Einladung mit Gratisprobe",
                "mail_template_id": templates[0].id,
                "fixed_cost": 350.0,
                "unit_cost": 0.02,
            }
        )
        opinion = Activity.create(
            {
                "campaign_id": campaign.id,
                "name": "Ihre Meinung",
                "mail_template_id": templates[1].id,
                "parent_id": invitation.id,
                "trigger": "parent",
                "interval_number": 4,
                "window_end_number": 5,
                "interval_type": "days",
                "unit_cost": 0.02,
            }
        )
        Activity.create(
            [
                {
                    "campaign_id": campaign.id,
                    "name": "Lead für Interessenten",
                    "activity_type": "lead",
                    "parent_id": opinion.id,
                    "trigger": "responded",
                    "interval_number": 1,
                    "interval_type": "days",
                },
                {
                    "campaign_id": campaign.id,
                    "name": "Warum nicht?",
                    "mail_template_id": templates[2].id,
                    "parent_id": opinion.id,
                    "trigger": "not_responded",
                    "interval_number": 1,
                    "interval_type": "days",
                    "unit_cost": 0.02,
                },
                {
                    # Due when the demo is built (see _make_letters_due).
                    "campaign_id": campaign.id,
                    "name": "Katalogbrief mit Antwortkarte",
                    "activity_type": "letter",
                    "letter_body": "<p>Liebe Kundin, lieber Kunde,</p><p>anbei unser "
                    "aktueller Katalog. Schicken Sie uns die Antwortkarte und Sie "
                    "erhalten eine Probe unseres neuen Olivenöls.</p>",
                    "parent_id": opinion.id,
                    "trigger": "not_responded",
                    "interval_number": 3,
                    "interval_type": "days",
                    "fixed_cost": 180.0,
                    "unit_cost": 1.45,
                },
                {
                    "campaign_id": campaign.id,
                    "name": "Nachfassanruf",
                    "activity_type": "phone",
                    "call_script": "<p>Probe erhalten? Wie hat das Öl geschmeckt? "
                    "Angebot: 10 % auf die erste Bestellung.</p>",
                    "parent_id": opinion.id,
                    "trigger": "not_responded",
                    "interval_number": 1,
                    "interval_type": "days",
                    "unit_cost": 4.5,
                },
            ]
        )

    def _age(self, campaign, days):
        """Let ``days`` days pass for the campaign (its times move back by as
        much), then process what fell due."""
        shift = timedelta(days=days)
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE mkt_campaign_trace
                  SET scheduled_at = scheduled_at - %(shift)s,
                      processed_at = processed_at - %(shift)s,
                      response_at = response_at - %(shift)s
                WHERE campaign_id = %(campaign)s;
               UPDATE mkt_campaign_participant
                  SET responded_at = responded_at - %(shift)s
                WHERE campaign_id = %(campaign)s""",
            {"shift": shift, "campaign": campaign.id},
        )
        self.env.invalidate_all()
        self.env["mkt.campaign.trace"]._process_due(campaigns=campaign)

    def _make_letters_due(self, campaign):
        """The catalog letters fall due as the demo is built, so that a new user
        finds a printed batch to look at and reply cards to scan. They are not
        printed here: wkhtmltopdf needs the running server for the layout, so
        the campaign cron (due at once when the server starts) prints them."""
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE mkt_campaign_trace t SET scheduled_at = now() at time zone 'UTC'
                 FROM mkt_campaign_activity a
                WHERE a.id = t.activity_id AND a.activity_type = 'letter'
                  AND t.campaign_id = %s AND t.state = 'scheduled'""",
            [campaign.id],
        )
        self.env.invalidate_all()
        self.env.ref(
            "mkt_campaign_flow.ir_cron_campaign_process"
        ).sudo().nextcall = fields.Datetime.now()

    def _demo_responses(self, rng, campaign, participants):
        """Clicks, contact forms, letter replies and orders in the first days."""
        for participant in participants:
            roll = rng.random()
            if roll < 0.12:
                participant.trace_ids.mailing_trace_id.set_opened()
                participant.trace_ids.mailing_trace_id.set_clicked()
            elif roll < 0.20:
                participant._register_contact_form(
                    message="Bitte schicken Sie mir die Probe.", phone=""
                )
            elif roll < 0.50:
                participant.trace_ids.mailing_trace_id.set_opened()

    def _demo_calls(self, rng, campaign):
        calls = self.env["mkt.campaign.trace"].search(
            [
                ("campaign_id", "=", campaign.id),
                ("activity_id.activity_type", "=", "phone"),
                ("state", "=", "processed"),
            ],
            order="id",
        )
        results = ["interested", "not_interested", "unreachable", False]
        for trace in calls[: max(len(calls) // 2, 1)]:
            result = rng.choice(results)
            if result:
                trace.action_record_call(result)

    def _campaign_demo_order(self, partner):
        product = self.env["product.product"].search(
            [("default_code", "=", "FW-0301")],
            limit=1,  # the olive oil of Crete
        ) or self.env["product.product"].search([("sale_ok", "=", True)], limit=1)
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 6})
                ],
            }
        )
        order.action_confirm()
