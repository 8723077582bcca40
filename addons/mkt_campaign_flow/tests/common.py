import re
from base64 import b64decode
from datetime import datetime

from barcode.charsets import code128

from odoo.addons.mkt_scoring.tests.common import MktCommon

START = datetime(2026, 3, 2, 9, 0, 0)


class CampaignCommon(MktCommon):
    """A segment of six customers and the reference campaign's building blocks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "Campaign callers"})
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Campaign customer {index}",
                    "email": f"customer{index}@campaign.example.com",
                    "phone": f"+49 40 1234 56{index:02d}",
                    "street": f"Hafenstraße {index}",
                    "zip": "20457",
                    "city": "Hamburg",
                    "country_id": cls.env.ref("base.de").id,
                    "customer_rank": 1,
                }
                for index in range(6)
            ]
        )
        cls.segment = cls.env["mkt.segment"].create(
            {
                "name": "Campaign customers",
                "domain": "[('email', '=ilike', '%@campaign.example.com')]",
            }
        )
        cls.template_invitation = cls.env["mail.template"].create(
            {
                "name": "Olive oil: invitation",
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "subject": "Our new olive oil: a free sample for you",
                "email_from": "marketing@feinkost-welt.example",
                "body_html": """<div><p>Dear <t t-out="object.name"/>,</p>
                    <p><a href="https://www.feinkost-welt.example/olive-oil">Discover</a>
                    or <a t-att-href="object.mkt_campaign_contact_url">ask for your
                    free sample</a>.</p></div>""",
            }
        )
        cls.template_opinion = cls.template_invitation.copy(
            {"name": "Olive oil: opinion", "subject": "What do you think?"}
        )
        cls.template_why = cls.template_invitation.copy(
            {"name": "Olive oil: why not", "subject": "Why not?"}
        )

    @classmethod
    def create_campaign(cls, **values):
        return cls.env["mkt.campaign"].create(
            {
                "name": "Olive oil launch",
                "segment_id": cls.segment.id,
                "team_id": cls.team.id,
                "user_id": cls.user_marketing.id,
                "budget": 1000.0,
                **values,
            }
        )

    @classmethod
    def create_reference_steps(cls, campaign):
        Activity = cls.env["mkt.campaign.activity"]
        invitation = Activity.create(
            {
                "campaign_id": campaign.id,
                "name": "Invitation with free sample",
                "activity_type": "email",
                "mail_template_id": cls.template_invitation.id,
                "trigger": "begin",
                "fixed_cost": 100.0,
                "unit_cost": 0.5,
            }
        )
        letter = Activity.create(
            {
                "campaign_id": campaign.id,
                "name": "Catalog letter with reply card",
                "activity_type": "letter",
                "letter_body": "<p>Please find our new catalog enclosed.</p>",
                "trigger": "begin",
                "unit_cost": 1.2,
            }
        )
        opinion = Activity.create(
            {
                "campaign_id": campaign.id,
                "name": "Your opinion",
                "activity_type": "email",
                "mail_template_id": cls.template_opinion.id,
                "parent_id": invitation.id,
                "trigger": "parent",
                "interval_number": 4,
                "window_end_number": 5,
                "interval_type": "days",
                "unit_cost": 0.5,
            }
        )
        lead = Activity.create(
            {
                "campaign_id": campaign.id,
                "name": "Lead for responders",
                "activity_type": "lead",
                "parent_id": opinion.id,
                "trigger": "responded",
                "interval_number": 1,
                "interval_type": "days",
            }
        )
        why = Activity.create(
            {
                "campaign_id": campaign.id,
                "name": "Why did you not buy?",
                "activity_type": "email",
                "mail_template_id": cls.template_why.id,
                "parent_id": opinion.id,
                "trigger": "not_responded",
                "interval_number": 1,
                "interval_type": "days",
                "unit_cost": 0.5,
            }
        )
        call = Activity.create(
            {
                "campaign_id": campaign.id,
                "name": "Follow-up call",
                "activity_type": "phone",
                "call_script": "<p>Ask why the sample did not convince.</p>",
                "user_id": cls.user_salesman.id,
                "parent_id": opinion.id,
                "trigger": "not_responded",
                "interval_number": 1,
                "interval_type": "days",
                "unit_cost": 3.0,
            }
        )
        return invitation, letter, opinion, lead, why, call


def decode_code128_svg(data_uri):
    """Read a Code 128 barcode back from the SVG python-barcode draws: bar
    positions to modules, modules to symbols, symbols to text (sets A, B, C),
    and check the checksum, as a scanner does."""
    svg = b64decode(data_uri.split(",", 1)[1]).decode()
    bars = [
        (float(x), float(width))
        for x, width in re.findall(
            r'<rect x="([\d.]+)mm" y="[\d.]+mm" width="([\d.]+)mm"', svg
        )
    ]
    module = min(width for _x, width in bars)
    origin = bars[0][0]
    length = round((bars[-1][0] + bars[-1][1] - origin) / module)
    modules = ["0"] * length
    for x, width in bars:
        start = round((x - origin) / module)
        for offset in range(round(width / module)):
            modules[start + offset] = "1"
    bits = "".join(modules)
    patterns = {pattern: value for value, pattern in enumerate(code128.CODES)}
    # The stop symbol and its two-module termination bar.
    assert bits.endswith(code128.STOP + "11"), "no stop pattern"
    body = bits[: -len(code128.STOP) - 2]
    values = [patterns[body[i : i + 11]] for i in range(0, len(body), 11)]
    start, *data, checksum = values
    assert checksum == (start + sum(i * v for i, v in enumerate(data, 1))) % 103, (
        "bad checksum"
    )
    charset = {103: "A", 104: "B", 105: "C"}[start]
    text = ""
    for value in data:
        if charset == "C":
            if value < 100:
                text += f"{value:02d}"
                continue
            charset = {100: "B", 101: "A"}[value]
        elif (
            value in (99, 100, 101)
            and not (charset == "A" and value == 101)
            and not (charset == "B" and value == 100)
        ):
            charset = {99: "C", 100: "B", 101: "A"}[value]
        else:
            text += chr(value + 32) if charset == "B" or value < 64 else chr(value - 64)
    return text
