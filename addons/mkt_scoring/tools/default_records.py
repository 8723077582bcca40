"""Records a company starts with (scoring catalog, customer classes), named in
the code so that every new company gets them, in each installed language."""

from odoo.tools.translate import code_translations


def companies_without(model):
    """The companies that have no record of ``model`` yet (archived ones count)."""
    with_records = model.with_context(active_test=False).search([]).company_id
    return model.env["res.company"].search([]) - with_records


def create_translated(model, vals_list, names):
    """Create ``model`` records from ``vals_list``; ``names[i]`` is the
    LazyTranslate term naming record i, stored as source with translations."""
    for values, name in zip(vals_list, names, strict=True):
        values["name"] = name._source
    records = model.with_context(lang="en_US").create(vals_list)
    for lang, _label in model.env["res.lang"].get_installed():
        if lang == "en_US":
            continue
        translations = code_translations.get_python_translations(
            name_module(names), lang
        )
        for record, name in zip(records, names, strict=True):
            if name._source in translations:
                record.update_field_translations(
                    "name", {lang: translations[name._source]}
                )
    return records


def name_module(names):
    return names[0]._module if names else "mkt_scoring"
