"""Bulk data for benchmarks: N customers with M confirmed, invoiced orders each.

Everything is written with set-based ``INSERT ... SELECT`` over
``generate_series``, seeded with ``setseed`` so that a size always gives the same
data. The rows carry the facts the suite reads (orders and lines with amounts
and dates, posted invoices and credit notes with due dates, residuals and
receivable lines), not every column a real sale would fill.

Every generated partner has ``ref = 'bench'`` and every order and move a name
starting with ``BENCH/``, so a benchmark can tell them apart from other data.

It lives in the add-on so that tests of every add-on can use it too (for
example to count queries on a thousand customers); benchmarks import it through
``tests/bench/datagen.py``. Use::

    from odoo.addons.mkt_scoring.tools.bulk_history import generate
    summary = generate(env, partners=100_000, orders_per_partner=2)
"""

from dataclasses import dataclass

from odoo.tools import SQL

PRODUCT_COUNT = 200
CATEGORY_COUNT = 20


@dataclass
class Summary:
    partner_ids: list
    partners: int
    orders: int
    order_lines: int
    invoices: int
    credit_notes: int


def generate(
    env,
    partners,
    orders_per_partner,
    lines_per_order=5,
    refund_share=0.05,
    overdue_share=0.05,
    seed=0.42,
):
    """Insert the data into ``env``'s database and return a :class:`Summary`."""
    cr = env.cr
    env.flush_all()
    cr.execute("SELECT 1 FROM res_partner WHERE ref = 'bench' LIMIT 1")
    if cr.rowcount:
        raise RuntimeError("This database already has bench data: use a fresh one.")
    cr.execute("SELECT setseed(%s)", [seed])
    products = _ensure_products(env)
    company = env.company
    context = {
        "company_id": company.id,
        "currency_id": company.currency_id.id,
        "country_id": env.ref("base.de").id,
        "user_id": env.uid,
        "journal_id": env["account.journal"]
        .search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
        .id,
        "receivable_id": env["account.account"]
        .search(
            [
                ("account_type", "=", "asset_receivable"),
                ("company_ids", "in", company.id),
            ],
            limit=1,
        )
        .id,
        "income_id": env["account.account"]
        .search(
            [("account_type", "=", "income"), ("company_ids", "in", company.id)],
            limit=1,
        )
        .id,
        "products": products.ids,
        "prices": products.mapped("list_price"),
        "uom_id": env.ref("uom.product_uom_unit").id,
        "stock_columns": _stock_order_columns(env, company),
    }
    _insert_partners(cr, partners, context)
    _insert_orders(cr, orders_per_partner, context)
    _insert_order_lines(cr, lines_per_order, context)
    _insert_invoices(cr, overdue_share, context)
    _insert_credit_notes(cr, refund_share, context)
    env.invalidate_all()
    cr.execute("SELECT id FROM res_partner WHERE ref = 'bench' ORDER BY id")
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        """SELECT (SELECT count(*) FROM res_partner WHERE ref = 'bench'),
                  (SELECT count(*) FROM sale_order WHERE name LIKE 'BENCH/%%'),
                  (SELECT count(*) FROM sale_order_line l
                     JOIN sale_order o ON o.id = l.order_id
                    WHERE o.name LIKE 'BENCH/%%'),
                  (SELECT count(*) FROM account_move
                    WHERE name LIKE 'BENCH/INV/%%'),
                  (SELECT count(*) FROM account_move
                    WHERE name LIKE 'BENCH/RINV/%%')"""
    )
    return Summary(partner_ids, *cr.fetchone())


def _ensure_products(env):
    """A fixed catalog of PRODUCT_COUNT products in CATEGORY_COUNT categories."""
    Product = env["product.product"]
    products = Product.search([("default_code", "=like", "BENCH-%")], order="id")
    if len(products) >= PRODUCT_COUNT:
        return products
    categories = env["product.category"].create(
        [{"name": f"Bench category {n}"} for n in range(CATEGORY_COUNT)]
    )
    return Product.create(
        [
            {
                "name": f"Bench product {n}",
                "default_code": f"BENCH-{n:04d}",
                "categ_id": categories[n % CATEGORY_COUNT].id,
                "list_price": 5 + (n * 37) % 95,
                "type": "consu",
                "invoice_policy": "order",
                "taxes_id": [(5, 0, 0)],
            }
            for n in range(PRODUCT_COUNT)
        ]
    )


def _insert_partners(cr, count, ctx):
    # Postcodes spread over Germany's 0xxxx-9xxxx regions; a tenth are companies.
    cr.execute(
        """
        INSERT INTO res_partner (
            name, complete_name, ref, active, type, is_company, zip, city,
            country_id, customer_rank, supplier_rank, company_id, lang,
            autopost_bills, create_date, write_date, create_uid, write_uid)
        SELECT 'Bench customer ' || n, 'Bench customer ' || n, 'bench', TRUE,
               'contact', n %% 10 = 0, lpad((floor(random() * 99999))::text, 5, '0'),
               'Bench city', %(country_id)s, 1, 0, NULL, 'en_US', 'ask',
               now(), now(), %(user_id)s, %(user_id)s
          FROM generate_series(1, %(count)s) AS n
        """,
        {**ctx, "count": count},
    )
    cr.execute(
        """UPDATE res_partner SET commercial_partner_id = id
            WHERE ref = 'bench' AND commercial_partner_id IS NULL"""
    )


def _stock_order_columns(env, company):
    """Columns sale_stock adds to orders (``picking_policy`` is NOT NULL), with
    their values; none when stock is not installed."""
    if "warehouse_id" not in env["sale.order"]._fields:
        return {}
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], limit=1
    )
    return {"picking_policy": "direct", "warehouse_id": warehouse.id or None}


def _insert_orders(cr, per_partner, ctx):
    extra = ctx["stock_columns"]
    cr.execute(
        SQL(
            """
        INSERT INTO sale_order (
            name, state, date_order, partner_id, partner_invoice_id,
            partner_shipping_id, company_id, currency_id, user_id,
            invoice_status, amount_untaxed, amount_tax, amount_total,
            create_date, write_date, create_uid, write_uid%(columns)s)
        SELECT 'BENCH/' || p.id || '/' || k, 'sale',
               now() - (random() * 730) * interval '1 day', p.id, p.id, p.id,
               %(company_id)s, %(currency_id)s, %(user_id)s, 'invoiced', 0, 0, 0,
               now(), now(), %(user_id)s, %(user_id)s%(values)s
          FROM res_partner p
         CROSS JOIN generate_series(1, %(per_partner)s) AS k
         WHERE p.ref = 'bench'
        """,
            columns=SQL("").join(SQL(", %s", SQL.identifier(name)) for name in extra),
            values=SQL("").join(SQL(", %s", value) for value in extra.values()),
            company_id=ctx["company_id"],
            currency_id=ctx["currency_id"],
            user_id=ctx["user_id"],
            per_partner=per_partner,
        )
    )


def _insert_order_lines(cr, per_order, ctx):
    cr.execute(
        """
        WITH catalog AS (
            SELECT * FROM unnest(%(products)s::int[], %(prices)s::numeric[])
                     WITH ORDINALITY AS c(product_id, price, position)
        ), picked AS (
            SELECT o.id AS order_id, o.partner_id, o.date_order, k,
                   1 + floor(random() * %(product_count)s)::int AS position,
                   1 + floor(random() * 4)::int AS qty
              FROM sale_order o
             CROSS JOIN generate_series(1, %(per_order)s) AS k
             WHERE o.name LIKE 'BENCH/%%'
        )
        INSERT INTO sale_order_line (
            order_id, sequence, name, product_id, product_uom, product_uom_qty,
            price_unit, price_subtotal, price_total, price_tax, price_reduce_taxexcl,
            price_reduce_taxinc, discount, qty_delivered, qty_invoiced,
            qty_to_invoice, untaxed_amount_invoiced, untaxed_amount_to_invoice,
            customer_lead, state, invoice_status, order_partner_id, company_id,
            currency_id, create_date, write_date, create_uid, write_uid)
        SELECT p.order_id, p.k, 'Bench product', c.product_id, %(uom_id)s, p.qty,
               c.price, c.price * p.qty, c.price * p.qty, 0, c.price, c.price, 0,
               p.qty, p.qty, 0, c.price * p.qty, 0, 0, 'sale', 'invoiced',
               p.partner_id, %(company_id)s, %(currency_id)s, p.date_order,
               p.date_order, %(user_id)s, %(user_id)s
          FROM picked p JOIN catalog c ON c.position = p.position
        """,
        {**ctx, "per_order": per_order, "product_count": len(ctx["products"])},
    )
    cr.execute(
        """
        UPDATE sale_order o
           SET amount_untaxed = t.total, amount_total = t.total
          FROM (SELECT order_id, sum(price_subtotal) AS total
                  FROM sale_order_line GROUP BY order_id) t
         WHERE t.order_id = o.id AND o.name LIKE 'BENCH/%%'
        """
    )


def _insert_moves(cr, ctx, move_type, prefix, source_sql, params):
    """Insert posted customer moves and their receivable and income lines.

    ``source_sql`` selects (order_id, origin, partner_id, move_date, amount,
    residual, reversed_entry_id); credit notes have the signs reversed.
    """
    sign = 1 if move_type == "out_invoice" else -1
    cr.execute(
        f"""
        WITH source AS ({source_sql})
        INSERT INTO account_move (
            name, move_type, state, date, invoice_date, invoice_date_due,
            partner_id, commercial_partner_id, journal_id, company_id, currency_id,
            amount_untaxed, amount_tax, amount_total, amount_residual,
            amount_untaxed_signed, amount_tax_signed, amount_total_signed,
            amount_residual_signed, amount_total_in_currency_signed,
            amount_untaxed_in_currency_signed, payment_state, invoice_origin,
            reversed_entry_id, auto_post, sequence_prefix, sequence_number,
            create_date, write_date, create_uid, write_uid)
        SELECT '{prefix}' || s.order_id, %(move_type)s, 'posted', s.move_date,
               s.move_date, s.move_date + 30, s.partner_id, s.partner_id,
               %(journal_id)s, %(company_id)s, %(currency_id)s, s.amount, 0,
               s.amount, s.residual, %(sign)s * s.amount, 0, %(sign)s * s.amount,
               %(sign)s * s.residual, %(sign)s * s.amount, %(sign)s * s.amount,
               CASE WHEN s.residual = 0 THEN 'paid' ELSE 'not_paid' END,
               s.origin, s.reversed_entry_id, 'no', '{prefix}',
               s.order_id, now(), now(), %(user_id)s, %(user_id)s
          FROM source s
        """,
        {**ctx, **params, "move_type": move_type, "sign": sign},
    )
    # One receivable line (debit for invoices) and one income line per move;
    # ``factor`` signs the move's amount for each of them.
    cr.execute(
        f"""
        INSERT INTO account_move_line (
            move_id, move_name, date, invoice_date, date_maturity, parent_state,
            journal_id, company_id, company_currency_id, currency_id, account_id,
            partner_id, display_type, name, quantity, price_unit, price_subtotal,
            price_total, debit, credit, balance, amount_currency, amount_residual,
            amount_residual_currency, reconciled, create_date, write_date,
            create_uid, write_uid)
        SELECT m.id, m.name, m.date, m.invoice_date, m.invoice_date_due, 'posted',
               m.journal_id, m.company_id, m.currency_id, m.currency_id, a.account_id,
               m.partner_id, a.display_type, m.name, 1, m.amount_total,
               m.amount_total, m.amount_total,
               GREATEST(a.factor * m.amount_total, 0),
               GREATEST(-a.factor * m.amount_total, 0),
               a.factor * m.amount_total, a.factor * m.amount_total,
               CASE WHEN a.is_receivable THEN a.factor * m.amount_residual ELSE 0 END,
               CASE WHEN a.is_receivable THEN a.factor * m.amount_residual ELSE 0 END,
               a.is_receivable AND m.amount_residual = 0,
               now(), now(), %(user_id)s, %(user_id)s
          FROM account_move m
         CROSS JOIN (VALUES (%(receivable_id)s, 'payment_term', TRUE, %(sign)s),
                            (%(income_id)s, 'product', FALSE, -%(sign)s))
                    AS a(account_id, display_type, is_receivable, factor)
         WHERE m.name LIKE '{prefix}%%'
        """,
        {**ctx, "sign": sign},
    )


def _insert_invoices(cr, overdue_share, ctx):
    # One invoice per order; a share of those older than 60 days stays unpaid.
    _insert_moves(
        cr,
        ctx,
        "out_invoice",
        "BENCH/INV/",
        """SELECT o.id AS order_id, o.name AS origin, o.partner_id,
                  o.date_order::date AS move_date,
                  o.amount_total AS amount,
                  CASE WHEN o.date_order < now() - interval '60 days'
                        AND random() < %(overdue_share)s
                       THEN o.amount_total ELSE 0 END AS residual,
                  NULL::int AS reversed_entry_id
             FROM sale_order o WHERE o.name LIKE 'BENCH/%%'""",
        {"overdue_share": overdue_share},
    )


def _insert_credit_notes(cr, refund_share, ctx):
    # Returns: half of an invoice, credited two weeks after it.
    _insert_moves(
        cr,
        ctx,
        "out_refund",
        "BENCH/RINV/",
        """SELECT substring(m.name from 11)::int AS order_id,
                  m.invoice_origin AS origin, m.partner_id,
                  m.date + 14 AS move_date, round(m.amount_total / 2, 2) AS amount,
                  0 AS residual, m.id AS reversed_entry_id
             FROM account_move m
            WHERE m.name LIKE 'BENCH/INV/%%' AND random() < %(refund_share)s""",
        {"refund_share": refund_share},
    )
