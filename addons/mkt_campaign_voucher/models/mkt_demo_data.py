"""Demo story: the win-back voucher goes out with a campaign.

The olive-oil campaign of mkt_campaign_flow launches a new product and has
already run when the demo is built, so none of its steps carries a voucher.
The win-back voucher "Rückgewinnung: Wir vermissen Sie" of mkt_voucher gets a
campaign of its own, in planning: an email with each customer's code and
personal discount, and a reminder two weeks later to those who have not
ordered, showing the same code. Starting it sends the codes.
"""

from odoo import api, models

WINBACK_PROGRAM = "Rückgewinnung: Wir vermissen Sie"
OFFER = """<div>
<p>Guten Tag <t t-out="object.name"/>,</p>
<p>wir haben Sie eine Weile nicht bei uns gesehen und möchten Sie gern wieder
verwöhnen: mit frischem Käse aus dem Allgäu, neuen Weinen aus Rheinhessen und
unserem Olivenöl aus Kreta.</p>
<t t-if="object.mkt_voucher_code">
<p>Ihr persönlicher Gutscheincode: <strong t-out="object.mkt_voucher_code"/></p>
<p t-if="object.mkt_voucher_discount_text">Ihr persönlicher Rabatt:
<strong t-out="object.mkt_voucher_discount_text"/> auf Ihre nächste Bestellung
ab 50 EUR.</p>
</t>
<p>Herzliche Grüße<br/>Ihr Team von Feinkost Welt</p></div>"""
REMINDER = """<div>
<p>Guten Tag <t t-out="object.name"/>,</p>
<t t-if="object.mkt_voucher_code">
<p>denken Sie an Ihren Gutschein: mit dem Code
<strong t-out="object.mkt_voucher_code"/> erhalten Sie
<strong t-out="object.mkt_voucher_discount_text"/> auf Ihre nächste Bestellung
ab 50 EUR.</p>
</t>
<p>Wir freuen uns auf Sie.</p>
<p>Herzliche Grüße<br/>Ihr Team von Feinkost Welt</p></div>"""


class MktDemoData(models.AbstractModel):
    _inherit = "mkt.demo.data"

    @api.model
    def _generate_campaign_voucher_demo(self):
        program = self.env["loyalty.program"].search(
            [("name", "=", WINBACK_PROGRAM), ("mkt_discount_rule_ids", "!=", False)],
            order="id",
            limit=1,
        )
        if not program:
            return  # the voucher demo did not run: nothing to tell
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
                        "Rückgewinnung: Ihr Gutschein",
                        "Wir vermissen Sie: Ihr persönlicher Gutschein",
                        OFFER,
                    ),
                    (
                        "Rückgewinnung: Erinnerung",
                        "Ihr Gutschein wartet auf Sie",
                        REMINDER,
                    ),
                )
            ]
        )
        campaign = self.env["mkt.campaign"].create(
            {
                "name": "Rückgewinnung mit Gutschein",
                "segment_id": program.mkt_segment_id.id,
                "budget": 1200.0,
                "stage_id": self.env.ref(
                    "mkt_campaign_flow.mkt_campaign_stage_planning"
                ).id,
                "goal": "Nachlassende und verlorene Kunden zurückgewinnen: "
                "30 Bestellungen mit Gutschein in sechs Wochen.",
            }
        )
        Activity = self.env["mkt.campaign.activity"]
        offer = Activity.create(
            {
                "campaign_id": campaign.id,
                "name": "Gutschein: Wir vermissen Sie",
                "mail_template_id": templates[0].id,
                "voucher_program_id": program.id,
                # Growing customers get no code (0 % rule): no "we miss you".
                "domain": repr([("mkt_trend", "!=", "growing")]),
                "unit_cost": 0.02,
            }
        )
        Activity.create(
            {
                "campaign_id": campaign.id,
                "name": "Erinnerung an den Gutschein",
                "mail_template_id": templates[1].id,
                "voucher_program_id": program.id,
                "parent_id": offer.id,
                "trigger": "not_purchased",
                "interval_number": 14,
                "interval_type": "days",
                "unit_cost": 0.02,
            }
        )
        return campaign
