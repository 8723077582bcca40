"""Demo story of the suite: "Feinkost Welt", a delicatessen wholesaler.

It sells cheese, charcuterie, oils, spices, sweets, wine, coffee and gift baskets
to private customers (B2C, mail order and webshop) and to shops, restaurants
and hotels (B2B). The generator is seeded, so every database gets the same
customers and the same shape of history; dates are relative to today so that
"last 12 months" always means something.

Each customer follows a behaviour profile (loyal, growing, declining, lapsed,
new, occasional, wholesale) so that scores, classes, trends and segments of the
other add-ons have something to tell.
"""

import logging
import random
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models

from ..tools.order_history import OrderHistoryBuilder

_logger = logging.getLogger(__name__)

SEED = 20261122

# The catalog of a German delicatessen shop, named as it sells them.
CATEGORIES = {
    "Käse": [
        ("Parmigiano Reggiano, 24 Monate gereift, 1 kg", 32.90),
        ("Comté AOP, 18 Monate gereift, 500 g", 18.50),
        ("Manchego Curado, 400 g", 11.90),
        ("Allgäuer Bergkäse, 500 g", 12.40),
        ("Roquefort AOP, 250 g", 9.80),
    ],
    "Wurst & Schinken": [
        ("Jamón Ibérico de Bellota, 100 g geschnitten", 14.90),
        ("Prosciutto di Parma, 18 Monate gereift, 200 g", 8.90),
        ("Schwarzwälder Schinken, 300 g", 7.90),
        ("Salame Felino IGP, 250 g", 6.50),
        ("Chorizo Ibérico, 200 g", 5.90),
    ],
    "Öle & Essig": [
        ("Olivenöl nativ extra, Kreta, 750 ml", 16.90),
        ("Aceto Balsamico di Modena IGP, 250 ml", 12.50),
        ("Steirisches Kürbiskernöl, 500 ml", 13.90),
        ("Walnussöl aus dem Périgord, 250 ml", 10.90),
    ],
    "Gewürze": [
        ("Safran aus La Mancha, 1 g", 9.90),
        ("Tellicherry-Pfeffer, 100 g", 6.90),
        ("Fleur de Sel de Guérande, 125 g", 5.50),
        ("Geräuchertes Paprikapulver, La Vera, 75 g", 4.90),
        ("Vanilleschoten, Madagaskar, 3 Stück", 8.90),
    ],
    "Süßwaren & Schokolade": [
        ("Zartbitterschokolade 75 % Criollo, 100 g", 4.90),
        ("Nougat de Montélimar, 200 g", 7.50),
        ("Lübecker Marzipan, 200 g", 5.90),
        ("Panettone classico, 1 kg", 24.90),
        ("Cantuccini mit Mandeln, 250 g", 5.20),
    ],
    "Wein & Spirituosen": [
        ("Barolo DOCG 2019, 0,75 l", 39.00),
        ("Riesling Spätlese, Mosel, 0,75 l", 16.50),
        ("Rioja Reserva 2018, 0,75 l", 19.90),
        ("Champagner Brut, 0,75 l", 42.00),
        ("Single Malt Whisky, 12 Jahre, 0,7 l", 54.00),
    ],
    "Kaffee & Tee": [
        ("Espressobohnen, sizilianische Röstung, 1 kg", 24.90),
        ("Darjeeling First Flush, 100 g", 12.90),
        ("Matcha, Zeremonie-Qualität, 30 g", 19.90),
        ("Ostfriesische Teemischung, 250 g", 6.90),
    ],
    "Präsentkörbe": [
        ("Präsentkorb „Italia“, groß", 89.00),
        ("Präsentkorb „Gourmet“, mittel", 59.00),
        ("Präsentkorb „Dankeschön“, klein", 34.00),
    ],
}

CITIES = [
    ("80331", "München"),
    ("81667", "München"),
    ("86150", "Augsburg"),
    ("90402", "Nürnberg"),
    ("93047", "Regensburg"),
    ("20095", "Hamburg"),
    ("22765", "Hamburg"),
    ("10115", "Berlin"),
    ("10999", "Berlin"),
    ("50667", "Köln"),
    ("40213", "Düsseldorf"),
    ("60311", "Frankfurt am Main"),
    ("70173", "Stuttgart"),
    ("79098", "Freiburg im Breisgau"),
    ("69117", "Heidelberg"),
    ("04109", "Leipzig"),
    ("01067", "Dresden"),
    ("30159", "Hannover"),
    ("28195", "Bremen"),
    ("48143", "Münster"),
    ("55116", "Mainz"),
    ("24103", "Kiel"),
]

STREETS = [
    "Hauptstraße",
    "Bahnhofstraße",
    "Gartenstraße",
    "Schillerstraße",
    "Goethestraße",
    "Lindenallee",
    "Marktplatz",
    "Kirchweg",
    "Mühlenweg",
    "Am Rathaus",
    "Rosenstraße",
    "Bergstraße",
]

FIRST_NAMES = [
    "Anna", "Lukas", "Marie", "Felix", "Sophie", "Jonas", "Lena", "Paul", "Laura",
    "Maximilian", "Julia", "Leon", "Katharina", "Tobias", "Sabine", "Thomas",
    "Claudia", "Michael", "Petra", "Stefan", "Ursula", "Jürgen", "Monika", "Klaus",
    "Birgit", "Andreas", "Kerstin", "Markus", "Heike", "Frank",
]  # fmt: skip

LAST_NAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
    "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter",
    "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun",
    "Krüger", "Hofmann", "Hartmann", "Lange", "Werner", "Krause", "Lehmann",
]  # fmt: skip

BUSINESS_KINDS = [
    ("Feinkost", "Feinkost {name}"),
    ("Restaurant", "Restaurant {name}"),
    ("Hotel", "Hotel {name}"),
    ("Weinhandlung", "Weinhandlung {name}"),
    ("Café", "Café {name}"),
    ("Catering", "{name} Catering GmbH"),
    ("Bioladen", "Bioladen {name}"),
]

# Accessories by default code: what goes with the product.
ACCESSORIES = {
    "FW-0101": ["FW-0302", "FW-0601"],  # Parmigiano: balsamico, Barolo
    "FW-0301": ["FW-0403", "FW-0302"],  # olive oil: fleur de sel, balsamico
    "FW-0701": ["FW-0505", "FW-0501"],  # espresso: cantuccini, chocolate
    "FW-0604": ["FW-0502"],  # champagne: nougat
}

RECOMMENDATION_BODY = Markup(
    """<div style="font-family: Arial, sans-serif;">
<p>Guten Tag <t t-out="object.name"/>,</p>
<p>passend zu Ihren letzten Einkäufen haben wir diese Artikel für Sie ausgesucht:</p>
<t t-out="object.mkt_recommendation_html"/>
<p>Herzliche Grüße<br/>Ihr Team von Feinkost Welt</p>
</div>"""
)

# profile: (share of customers, orders in the older year, orders in the last year)
B2C_PROFILES = {
    "loyal": (0.20, (4, 6), (4, 6)),
    "growing": (0.14, (1, 2), (4, 7)),
    "declining": (0.14, (4, 7), (1, 1)),
    "lapsed": (0.14, (2, 4), (0, 0)),
    "new": (0.12, (0, 0), (1, 2)),
    "occasional": (0.26, (0, 1), (1, 2)),
}
STEADY_PROFILES = {"loyal", "wholesale"}
B2B_PROFILES = {
    "wholesale": (0.55, (6, 9), (6, 9)),
    "growing": (0.20, (2, 3), (6, 9)),
    "declining": (0.25, (6, 9), (1, 3)),
}


class MktDemoData(models.AbstractModel):
    _name = "mkt.demo.data"
    _description = "Marketing demo data generator"

    @api.model
    def _generate(self, b2c_count=250, b2b_count=50):
        """Create the demo catalog, customers and two years of history."""
        self._archive_sample_companies()
        self._ensure_chart_of_accounts()
        rng = random.Random(SEED)
        today = fields.Date.context_today(self)
        products = self._generate_catalog()
        customers = self._generate_customers(rng, b2c_count, b2b_count)
        builder = OrderHistoryBuilder(self.env)
        for partner, profile in customers:
            self._plan_history(builder, rng, today, partner, profile, products)
        _logger.info("mkt demo: creating %s orders", len(builder.planned))
        builder.build()
        # Scored right away, so that the demo shows classes and the Q at once.
        partners = self.env["res.partner"].concat(
            *(partner for partner, _profile in customers)
        )
        self.env["mkt.score.engine"]._score_partners(partners.ids, self.env.company)

    @api.model
    def _demo_lang(self):
        """German customers of a German shop: documents, mails and order lines
        in German, when the language is installed (as on the demo database)."""
        return "de_DE" if self.env["res.lang"]._lang_get("de_DE") else "en_US"

    @api.model
    def _demo_recommendations(self):
        """Accessories, a recommendation refresh, and the mailing "Unsere
        Empfehlungen für Sie": sent 12 days ago to 60 private customers (some
        of whom bought what it recommended), and a draft copy to try; plus a
        mail template with the placeholder for campaign steps."""
        products = {
            product.default_code: product
            for product in self.env["product.product"].search(
                [("default_code", "=like", "FW-%")]
            )
        }
        if not products:
            return  # the catalog of _generate is missing
        for product, accessories in ACCESSORIES.items():
            products[product].mkt_accessory_product_ids = [
                products[code].id for code in accessories
            ]
        company = self.env.company
        engine = self.env["mkt.recommendation.engine"]
        engine._refresh_company(company)

        rng = random.Random(SEED + 9)
        now = fields.Datetime.now().replace(microsecond=0)
        sent_at = now - timedelta(days=12)
        customers = self.env["res.partner"].search(
            [
                ("customer_rank", ">", 0),
                ("email", "!=", False),
                ("is_company", "=", False),
            ],
            order="id",
        )[:60]
        partner_model = self.env["ir.model"]._get_id("res.partner")
        mailing_values = {
            "subject": "Unsere Empfehlungen für Sie",
            "body_arch": RECOMMENDATION_BODY,
            "body_html": RECOMMENDATION_BODY,
            "mailing_model_id": partner_model,
            "mailing_domain": repr([("id", "in", customers.ids)]),
        }
        sent_mailing = self.env["mailing.mailing"].create(
            dict(mailing_values, state="done", sent_date=sent_at)
        )
        self.env["mailing.mailing"].create(
            dict(mailing_values, subject="Unsere Empfehlungen für Sie (Entwurf)")
        )
        self.env["mailing.trace"].create(
            [
                {
                    "mass_mailing_id": sent_mailing.id,
                    "model": "res.partner",
                    "res_id": partner.id,
                    "email": partner.email,
                    "trace_status": "sent",
                    "sent_datetime": sent_at,
                }
                for partner in customers
            ]
        )
        Sent = self.env["mkt.recommendation.mail"]
        Sent._record_sent(sent_mailing, "res.partner", customers.ids, False)
        sent = Sent.search([("mailing_id", "=", sent_mailing.id)])
        sent.write({"sent_at": sent_at})
        # A quarter of the recipients order a product the mail recommended.
        builder = OrderHistoryBuilder(self.env)
        for partner in customers:
            rows = sent.filtered(lambda r, p=partner: r.partner_id == p)
            if rows and rng.random() < 0.25:
                row = rng.choice(list(rows))
                order_day = (sent_at + timedelta(days=rng.randint(1, 10))).date()
                paid_on = order_day + timedelta(days=3)
                builder.add_order(
                    partner,
                    order_day,
                    [(row.product_id, rng.randint(1, 3), None)],
                    paid_on=paid_on if paid_on < now.date() else None,
                )
        builder.build()
        # What they bought now is no longer recommended to them.
        engine._refresh_company(company)
        self.env["mail.template"].create(
            {
                "name": "Empfehlungen für Sie",
                "model_id": partner_model,
                "subject": "Passend zu Ihrem Einkauf: unsere Empfehlungen",
                "body_html": RECOMMENDATION_BODY,
            }
        )

    # Sample companies that Odoo's own demo data adds: l10n_de's "DE Company"
    # (with its chart of accounts), stock's "My Company (Chicago)".
    SAMPLE_COMPANIES = ("base.demo_company_de", "stock.res_company_1")

    @api.model
    def _archive_sample_companies(self):
        """Odoo's demo data adds sample companies and makes the admin and demo
        users members: they are no part of our story and confuse new users
        (company switcher, a second set of scoring criteria). Odoo installs a
        module's demo data in any database with demo data, so they are
        archived instead. Run again by ``./mkt run`` once everything is
        installed, as stock may come after this demo."""
        companies = (
            self.env["res.company"].concat(
                *(
                    self.env.ref(xmlid, raise_if_not_found=False)
                    or self.env["res.company"]
                    for xmlid in self.SAMPLE_COMPANIES
                )
            )
            - self.env.company
        )
        if not companies:
            return
        members = (
            self.env["res.users"]
            .with_context(active_test=False)
            .search(
                [
                    ("company_ids", "in", companies.ids),
                    ("company_id", "not in", companies.ids),
                ]
            )
        )
        members.write({"company_ids": [Command.unlink(c.id) for c in companies]})
        companies.active = False

    def _ensure_chart_of_accounts(self):
        """Invoices need a chart of accounts. When accounting is installed in the
        same run as this demo data, Odoo loads the chart only after every module
        (account's ``ir.module.module._register_hook``): load it now instead."""
        if self.env.company.chart_template:
            return
        registry = self.env.registry
        if hasattr(registry, "_auto_install_template"):
            registry._auto_install_template(self.env)
            del registry._auto_install_template
        else:
            self.env["account.chart.template"].try_loading(False, self.env.company)

    def _generate_catalog(self):
        root = self.env["product.category"].create({"name": "Feinkost"})
        products = self.env["product.product"]
        for index, (category_name, items) in enumerate(CATEGORIES.items(), start=1):
            category = self.env["product.category"].create(
                {"name": category_name, "parent_id": root.id}
            )
            products |= self.env["product.product"].create(
                [
                    {
                        "name": name,
                        "default_code": f"FW-{index:02d}{number:02d}",
                        "categ_id": category.id,
                        "list_price": price,
                        "standard_price": round(price * 0.55, 2),
                        "type": "consu",
                        "invoice_policy": "order",
                        "sale_ok": True,
                    }
                    for number, (name, price) in enumerate(items, start=1)
                ]
            )
        return products

    def _generate_customers(self, rng, b2c_count, b2b_count):
        germany = self.env.ref("base.de")
        lang = self._demo_lang()
        values, profiles = [], []
        for kind, count, profile_table in (
            ("b2c", b2c_count, B2C_PROFILES),
            ("b2b", b2b_count, B2B_PROFILES),
        ):
            names, weights = zip(
                *((name, spec[0]) for name, spec in profile_table.items()), strict=True
            )
            for number in range(count):
                zip_code, city = rng.choice(CITIES)
                last_name = rng.choice(LAST_NAMES)
                if kind == "b2c":
                    name = f"{rng.choice(FIRST_NAMES)} {last_name}"
                else:
                    name = rng.choice(BUSINESS_KINDS)[1].format(name=last_name)
                slug = (
                    name.lower()
                    .replace(" ", ".")
                    .translate(
                        str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
                    )
                )
                values.append(
                    {
                        "name": name,
                        "is_company": kind == "b2b",
                        "street": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                        "zip": zip_code,
                        "city": city,
                        "country_id": germany.id,
                        "email": f"{slug}.{number}@example.com",
                        "phone": self._demo_phone(rng),
                        "customer_rank": 1,
                        "lang": lang,
                    }
                )
                profiles.append((kind, rng.choices(names, weights)[0]))
        partners = self.env["res.partner"].create(values)
        return list(zip(partners, profiles, strict=True))

    @staticmethod
    def _demo_phone(rng):
        return f"+49 {rng.randint(30, 999)} {rng.randint(100000, 9999999)}"

    @staticmethod
    def _basket(rng, kind, products):
        """Lines of one order: businesses buy more products, in cases."""
        line_count = rng.randint(3, 8) if kind == "b2b" else rng.randint(1, 4)
        return [
            (product, rng.randint(6, 24) if kind == "b2b" else rng.randint(1, 3), None)
            for product in rng.sample(list(products), line_count)
        ]

    def _plan_history(self, builder, rng, today, partner, profile, products):
        kind, behaviour = profile
        table = B2C_PROFILES if kind == "b2c" else B2B_PROFILES
        older_range, recent_range = table[behaviour][1], table[behaviour][2]
        one_year_ago = today - relativedelta(years=1)
        dates = []
        # Steady customers order their usual basket at even intervals.
        steady = behaviour in STEADY_PROFILES
        usual_basket = self._basket(rng, kind, products)
        if steady:
            count = rng.randint(*older_range) + rng.randint(*recent_range)
            step = 728 // count
            start = today - timedelta(days=728)
            dates = [
                start + timedelta(days=step * number + rng.randint(-4, 4))
                for number in range(1, count + 1)
            ]
        elif behaviour == "new":
            start = today - timedelta(days=80)
            dates = [
                start + timedelta(days=rng.randint(0, 75))
                for _ in range(rng.randint(*recent_range))
            ]
        else:
            for first, count_range in (
                (today - relativedelta(years=2), older_range),
                (one_year_ago, recent_range),
            ):
                dates += [
                    first + timedelta(days=rng.randint(0, 364))
                    for _ in range(rng.randint(*count_range))
                ]
        for order_date in sorted(dates):
            if order_date >= today:
                continue
            lines = usual_basket if steady else self._basket(rng, kind, products)
            due = order_date + timedelta(days=30)
            age = (today - order_date).days
            roll = rng.random()
            if roll < 0.06 and age > 45:
                paid_on = None  # overdue: dunning material
            elif roll < 0.16:
                paid_on = due + timedelta(days=rng.randint(5, 45))  # paid late
            else:
                paid_on = order_date + timedelta(days=rng.randint(2, 28))
            if paid_on and paid_on >= today:
                paid_on = None
            returned = rng.random() < 0.07
            returned_on = order_date + timedelta(days=rng.randint(5, 20))
            builder.add_order(
                partner,
                order_date,
                lines,
                paid_on=paid_on,
                returned_share=rng.choice((0.5, 1.0))
                if returned and returned_on < today
                else 0.0,
                returned_on=returned_on,
            )
