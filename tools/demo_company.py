# Run by `./mkt run` inside `odoo-bin shell` (``env`` is given), after base and
# before accounting: the demo company is a German wholesaler booking in EUR, so
# that installing accounting picks the German chart of accounts (l10n_de).
euro = env.ref("base.EUR")  # noqa: F821
euro.active = True
env.ref("base.main_company").write(  # noqa: F821
    {
        "name": "Feinkost Welt GmbH",
        "street": "Großer Burstah 12",
        "zip": "20457",
        "city": "Hamburg",
        "country_id": env.ref("base.de").id,  # noqa: F821
        "currency_id": euro.id,
        "email": "info@feinkost-welt.example.com",
        "phone": "+49 40 1234567",
    }
)
env.cr.commit()  # noqa: F821
