"""Product recommendations per customer, from order history, in SQL.

A refresh goes through a company's customers in batches. Its first batch
rebuilds the company's affinities (``mkt.recommendation.affinity``: how many
customers bought two products in the period, and each product's buyers); each
batch then replaces its customers' rows of ``mkt.recommendation`` with one
statement that gathers the candidates of four reasons, strongest first:

- ``accessory``: accessories (``mkt_accessory_product_ids``) of what they bought;
- ``bought_together``: bought by at least ``mkt_recommendation_min_support``
  customers together with something they bought, ranked by the share of that
  product's buyers who also bought it (the confidence of the pair);
- ``offered``: sent to them in a recommendation mail in the period (and
  whatever ``_offered_sql`` of other add-ons adds) but not bought;
- ``same_category``: the most popular products of the categories they buy from.

A customer never gets a product they bought in the period, nor one that cannot
be sold (``sale_ok`` unset, archived product or template, another company's).
The best ``mkt_recommendation_count`` products per customer are kept.
"""

import logging
import threading

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_amount
from odoo.tools.misc import limited_field_access_token

from ..tools.order_sql import ORDER_FIELDS

_logger = logging.getLogger(__name__)

# The tiers of the reasons: a score is its tier plus a strength from 0 to 1.
TIER_ACCESSORY = 3
TIER_BOUGHT_TOGETHER = 2
TIER_OFFERED = 1
# Same category: its popularity alone (0 to 1). A category's most popular
# products are candidates for its buyers: as many as recommended, and this many
# more for those a customer already has.
CATEGORY_SPARE = 2
# How many products bought together with a product are kept (the most frequent):
# enough for the best N of any customer, and the candidates of a batch stay
# proportional to what it bought, not to the size of the catalog.
NEIGHBOURS = 10


class MktRecommendationEngine(models.AbstractModel):
    _name = "mkt.recommendation.engine"
    _description = "Product Recommendation Engine"

    _batch_size = 10_000

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------

    @api.model
    def _cron_refresh_recommendations(self, batch_size=None):
        """Refresh the recommendations of every customer of every company.

        Once a day per company: a company's refresh goes through its customers
        in id order; each batch records how far it got in the same transaction
        as its rows, committed (outside tests), so a run after a crash goes on
        from there, and a run after a complete refresh of the day does nothing.
        One worker per company: a batch holds the company's refresh state
        locked, a parallel worker skips that company (``SKIP LOCKED``).
        """
        batch_size = batch_size or self._batch_size
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].sudo().search([])
        done = 0
        for company in companies:
            while (position := self._lock_run(company, today)) is not None:
                if position == 0:
                    self._rebuild_affinities(company, today)
                partner_ids = self._claim_partners(company, batch_size, position)
                if partner_ids:
                    self._recommend(partner_ids, company, today)
                    done += len(partner_ids)
                else:
                    self._remove_stale(company, today)
                self._record_run(company, today, partner_ids)
                self.env["ir.cron"]._notify_progress(
                    done=done,
                    remaining=self._count_left(
                        company, partner_ids and partner_ids[-1]
                    ),
                )
                if auto_commit:
                    # One transaction per batch: a crash loses one batch at most.
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                if not partner_ids:
                    break
        _logger.info("Recommendations: %d customers refreshed", done)

    @api.model
    def _request_refresh(self, company):
        """Have the cron refresh ``company`` anew (also when it ran today)."""
        self.env["mkt.recommendation.run"].sudo().search(
            [("company_id", "=", company.id)]
        ).write({"run_date": False, "done": False, "partner_position": 0})
        self.env.ref("mkt_scoring.ir_cron_refresh_recommendations")._trigger()

    @api.model
    def _refresh_company(self, company):
        """Refresh every customer of ``company`` now, in this transaction (the
        demo data, tests). The cron does the same in committed batches."""
        today = fields.Date.context_today(self)
        self._rebuild_affinities(company, today)
        partner_ids = self._claim_partners(company, None, 0)
        self._recommend(partner_ids, company, today)
        self._remove_stale(company, today)

    # ------------------------------------------------------------------
    # The run's state
    # ------------------------------------------------------------------

    def _lock_run(self, company, today):
        """Lock ``company``'s refresh state; return the id of the last customer
        today's refresh reached (0 when it starts), or None when another worker
        holds it or today's refresh is complete."""
        self.env["mkt.recommendation.run"].flush_model()
        self.env.cr.execute(
            SQL(
                """INSERT INTO mkt_recommendation_run (company_id, partner_position)
                   VALUES (%s, 0) ON CONFLICT (company_id) DO NOTHING""",
                company.id,
            )
        )
        self.env.cr.execute(
            SQL(
                """SELECT run_date, partner_position, done FROM mkt_recommendation_run
                    WHERE company_id = %s FOR NO KEY UPDATE SKIP LOCKED""",
                company.id,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return None
        run_date, position, done = row
        if run_date != today:
            return 0
        return None if done else position or 0

    def _record_run(self, company, today, partner_ids):
        """Today's refresh reached ``partner_ids``; none: it is complete."""
        self.env.cr.execute(
            SQL(
                """UPDATE mkt_recommendation_run
                      SET run_date = %s, partner_position = %s, done = %s
                    WHERE company_id = %s""",
                today,
                partner_ids[-1] if partner_ids else 0,
                not partner_ids,
                company.id,
            )
        )
        self.env["mkt.recommendation.run"].invalidate_model()

    def _customers_where(self, company):
        return SQL(
            """p.active AND p.id = p.commercial_partner_id AND p.customer_rank > 0
               AND (p.company_id IS NULL OR p.company_id = %s)""",
            company.id,
        )

    def _claim_partners(self, company, limit, after_id):
        """The next ``limit`` customers (all with None) after ``after_id``."""
        self.env.cr.execute(
            SQL(
                """SELECT p.id FROM res_partner p WHERE p.id > %s AND %s
                    ORDER BY p.id %s""",
                after_id,
                self._customers_where(company),
                SQL("LIMIT %s", limit) if limit else SQL(),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _count_left(self, company, after_id):
        """Customers after ``after_id``: for the progress bar."""
        if not after_id:
            return 0
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM res_partner p WHERE p.id > %s AND %s",
                after_id,
                self._customers_where(company),
            )
        )
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------
    # The statements
    # ------------------------------------------------------------------

    def _since(self, company, today):
        return today - relativedelta(months=company.mkt_recommendation_months)

    def _flush(self):
        self.env["sale.order"].flush_model(ORDER_FIELDS)
        self.env["sale.order.line"].flush_model(["order_id", "product_id"])
        self.env["res.partner"].flush_model(
            ["commercial_partner_id", "active", "customer_rank", "company_id"]
        )
        self.env["product.product"].flush_model(["active", "product_tmpl_id"])
        self.env["product.template"].flush_model(
            ["active", "sale_ok", "company_id", "categ_id", "mkt_accessory_product_ids"]
        )
        self.env["mkt.recommendation.mail"].flush_model()

    def _bought_sql(self, company, since, partner_ids=None):
        """(partner_id, product_id): what each customer bought in the period, once.

        On the commercial partner: orders of a contact person count for the
        company they work for."""
        return SQL(
            """SELECT DISTINCT p.commercial_partner_id AS partner_id, sol.product_id
                 FROM sale_order so
                 JOIN sale_order_line sol ON sol.order_id = so.id
                 JOIN res_partner p ON p.id = so.partner_id
                WHERE so.state = 'sale' AND so.company_id = %s AND so.date_order >= %s
                  AND sol.product_id IS NOT NULL %s""",
            company.id,
            since,
            SQL("AND p.commercial_partner_id = ANY(%s)", partner_ids)
            if partner_ids is not None
            else SQL(),
        )

    def _affinity_sql(self, company, since):
        """(product_id, related_product_id, support, confidence) of every pair
        bought by at least the minimum support of customers, and of every
        product with itself (support: its buyers). The benchmark's floor."""
        return SQL(
            """
            WITH bought AS (%(bought)s),
            buyers AS (SELECT product_id, count(*) AS n FROM bought GROUP BY product_id)
            SELECT a.product_id, b.product_id AS related_product_id,
                   count(*) AS support, count(*)::float / min(buyers.n) AS confidence
              FROM bought a
              JOIN bought b ON b.partner_id = a.partner_id
              JOIN buyers ON buyers.product_id = a.product_id
             GROUP BY a.product_id, b.product_id
            HAVING count(*) >= %(min_support)s OR a.product_id = b.product_id
            """,
            bought=self._bought_sql(company, since),
            min_support=company.mkt_recommendation_min_support,
        )

    def _rebuild_affinities(self, company, today):
        """Replace ``company``'s affinities with those of today's period: per
        product, itself and the ``NEIGHBOURS`` products most often bought with
        it."""
        self._flush()
        self.env.cr.execute(
            SQL(
                """DELETE FROM mkt_recommendation_affinity WHERE company_id = %(company)s;
                   INSERT INTO mkt_recommendation_affinity (
                       company_id, product_id, related_product_id, support, confidence)
                   SELECT %(company)s, product_id, related_product_id, support,
                          confidence
                     FROM (SELECT *, row_number() OVER (
                                  PARTITION BY product_id
                                  ORDER BY product_id = related_product_id DESC,
                                           support DESC, related_product_id
                                  ) AS position
                             FROM (%(affinity)s) AS pairs) AS affinity
                    WHERE position <= %(neighbours)s + 1""",
                company=company.id,
                affinity=self._affinity_sql(company, self._since(company, today)),
                neighbours=NEIGHBOURS,
            )
        )
        self.env["mkt.recommendation.affinity"].invalidate_model()

    def _offered_sql(self, company, since):
        """(partner_id, product_id): products offered to customers in the period.

        Those of the recommendation mails; other add-ons add theirs with a
        ``UNION ALL`` (products of promotions, campaign mails ...)."""
        return SQL(
            """SELECT partner_id, product_id FROM mkt_recommendation_mail
                WHERE company_id = %s AND sent_at >= %s""",
            company.id,
            since,
        )

    def _recommend(self, partner_ids, company, today):
        """Replace the recommendations of ``partner_ids`` (commercial partners)
        for ``company``: two statements, whatever the number of customers."""
        if not partner_ids:
            return
        self._flush()
        # The candidates of a batch are sorted and grouped in memory, not on disk.
        self.env.cr.execute("SET LOCAL work_mem = '128MB'")
        since = self._since(company, today)
        ids = SQL("%s::int[]", "{" + ",".join(str(int(i)) for i in partner_ids) + "}")
        self.env.cr.execute(
            SQL(
                """DELETE FROM mkt_recommendation
                    WHERE company_id = %s AND partner_id = ANY(%s)""",
                company.id,
                ids,
            )
        )
        self.env.cr.execute(
            SQL(
                """
            WITH bought AS MATERIALIZED (%(bought)s),
            bought_category AS (
                SELECT DISTINCT b.partner_id, pt.categ_id
                  FROM bought b
                  JOIN product_product pp ON pp.id = b.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
            ),
            popular AS (
                SELECT categ_id, product_id, popularity FROM (
                    SELECT pt.categ_id, a.product_id,
                           a.support::float / max(a.support) OVER w AS popularity,
                           row_number() OVER (w ORDER BY a.support DESC, a.product_id)
                               AS position
                      FROM mkt_recommendation_affinity a
                      JOIN product_product pp ON pp.id = a.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                     WHERE a.company_id = %(company)s
                       AND a.related_product_id = a.product_id
                    WINDOW w AS (PARTITION BY pt.categ_id)
                ) AS ranked WHERE position <= %(category_candidates)s
            ),
            candidate AS (
                SELECT b.partner_id, acc.product_id, %(tier_accessory)s AS tier,
                       %(tier_accessory)s::float AS score
                  FROM bought b
                  JOIN product_product pp ON pp.id = b.product_id
                  JOIN mkt_product_accessory_rel acc ON acc.template_id = pp.product_tmpl_id
                UNION ALL
                SELECT b.partner_id, a.related_product_id, %(tier_together)s,
                       %(tier_together)s + a.confidence
                  FROM bought b
                  JOIN mkt_recommendation_affinity a
                    ON a.product_id = b.product_id AND a.company_id = %(company)s
                   AND a.related_product_id != a.product_id
                UNION ALL
                SELECT o.partner_id, o.product_id, %(tier_offered)s, %(tier_offered)s
                  FROM (%(offered)s) AS o WHERE o.partner_id = ANY(%(ids)s)
                UNION ALL
                SELECT bc.partner_id, pop.product_id, 0, pop.popularity
                  FROM bought_category bc JOIN popular pop ON pop.categ_id = bc.categ_id
            ),
            -- The tiers do not overlap: the best score is of the strongest reason.
            best AS (
                SELECT c.partner_id, c.product_id, max(c.tier) AS tier,
                       max(c.score) AS score
                  FROM candidate c
                 WHERE NOT EXISTS (
                        SELECT 1 FROM bought b
                         WHERE b.partner_id = c.partner_id AND b.product_id = c.product_id)
                 GROUP BY c.partner_id, c.product_id
            ),
            ranked AS (
                SELECT best.*, row_number() OVER (
                           PARTITION BY partner_id ORDER BY score DESC, product_id) AS rank
                  FROM best
                  JOIN product_product pp ON pp.id = best.product_id AND pp.active
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                   AND pt.active AND pt.sale_ok
                   AND (pt.company_id IS NULL OR pt.company_id = %(company)s)
            )
            INSERT INTO mkt_recommendation (
                partner_id, product_id, company_id, reason, score, rank, computed_on)
            SELECT partner_id, product_id, %(company)s,
                   (CASE tier WHEN %(tier_accessory)s THEN 'accessory'
                              WHEN %(tier_together)s THEN 'bought_together'
                              WHEN %(tier_offered)s THEN 'offered'
                              ELSE 'same_category' END),
                   round(score::numeric, 3), rank, %(today)s
              FROM ranked WHERE rank <= %(count)s
            """,
                bought=self._bought_sql(company, since, ids),
                offered=self._offered_sql(company, since),
                ids=ids,
                company=company.id,
                today=today,
                count=company.mkt_recommendation_count,
                category_candidates=company.mkt_recommendation_count + CATEGORY_SPARE,
                tier_accessory=TIER_ACCESSORY,
                tier_together=TIER_BOUGHT_TOGETHER,
                tier_offered=TIER_OFFERED,
            )
        )
        self.env["mkt.recommendation"].invalidate_model()

    def _remove_stale(self, company, today):
        """Drop the recommendations the refresh of ``today`` did not confirm,
        and those of partners who are no longer customers of the company
        (archived, say) even when refreshed earlier the same day."""
        self.env.cr.execute(
            SQL(
                """DELETE FROM mkt_recommendation r
                    WHERE r.company_id = %s
                      AND (r.computed_on < %s OR NOT EXISTS (
                           SELECT 1 FROM res_partner p
                            WHERE p.id = r.partner_id AND %s))""",
                company.id,
                today,
                self._customers_where(company),
            )
        )
        self.env["mkt.recommendation"].invalidate_model()

    # ------------------------------------------------------------------
    # Mails
    # ------------------------------------------------------------------

    @api.model
    def _recipient_partners(self, model, res_ids):
        """{recipient id: commercial partner id} of the recipients ``res_ids`` of
        ``model``: partners are their commercial partner; mailing contacts the
        partner with the same email (a company before its contacts, then the
        oldest). Recipients without a partner are left out."""
        if not res_ids:
            return {}
        if model == "res.partner":
            self.env["res.partner"].flush_model(["commercial_partner_id"])
            query = SQL(
                "SELECT id, commercial_partner_id FROM res_partner WHERE id = ANY(%s)",
                list(res_ids),
            )
        elif model == "mailing.contact":
            self.env["mailing.contact"].flush_model(["email_normalized"])
            self.env["res.partner"].flush_model(
                ["email_normalized", "active", "commercial_partner_id"]
            )
            query = SQL(
                """SELECT DISTINCT ON (c.id) c.id, p.commercial_partner_id
                     FROM mailing_contact c
                     JOIN res_partner p ON p.email_normalized = c.email_normalized
                      AND p.active
                    WHERE c.id = ANY(%s)
                    ORDER BY c.id, p.id = p.commercial_partner_id DESC, p.id""",
                list(res_ids),
            )
        else:
            return {}
        self.env.cr.execute(query)
        return dict(self.env.cr.fetchall())

    @api.model
    def _recipients_sql(self, model):
        """SELECT of the ids of the recipients of ``model`` who have
        recommendations in the current company (see ``_recipient_partners``)."""
        self.env["mkt.recommendation"].flush_model()
        with_recommendations = SQL(
            "SELECT partner_id FROM mkt_recommendation WHERE company_id = %s",
            self.env.company.id,
        )
        if model == "res.partner":
            self.env["res.partner"].flush_model(["commercial_partner_id"])
            return SQL(
                "SELECT id FROM res_partner WHERE commercial_partner_id IN (%s)",
                with_recommendations,
            )
        if model == "mailing.contact":
            self.env["mailing.contact"].flush_model(["email_normalized"])
            self.env["res.partner"].flush_model(
                ["email_normalized", "active", "commercial_partner_id"]
            )
            return SQL(
                """SELECT c.id FROM mailing_contact c
                    WHERE c.email_normalized IN (
                          SELECT p.email_normalized FROM res_partner p
                           WHERE p.active AND p.commercial_partner_id IN (%s))""",
                with_recommendations,
            )
        return SQL("SELECT NULL::int WHERE FALSE")

    @api.model
    def _render_blocks(self, model, res_ids, with_discount=False):
        """{recipient id: Markup}: the product cards of each recipient's
        recommendations (an empty Markup for none), rendered with the QWeb
        template ``mkt_scoring.mkt_recommendation_block``. A fixed number of
        queries for all the recipients."""
        partners = self._recipient_partners(model, res_ids)
        company = self.env.company
        recommendations = (
            self.env["mkt.recommendation"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", list(set(partners.values()))),
                    ("company_id", "=", company.id),
                    ("rank", "<=", company.mkt_recommendation_count),
                ],
                ["partner_id", "product_id", "reason", "rank"],
            )
        )
        by_partner = {}
        for recommendation in recommendations:
            by_partner.setdefault(recommendation.partner_id.id, []).append(
                recommendation
            )
        discounts = {}
        if with_discount:
            discounts = (
                self.env["res.partner"]
                .browse(set(partners.values()))
                ._mkt_recommendation_discounts()
            )
        products = recommendations.product_id.with_context(
            bin_size=True, display_default_code=False
        )
        cards = self._product_cards(products, company)
        reasons = dict(
            recommendations._fields["reason"]._description_selection(self.env)
        )
        qweb = self.env["ir.qweb"]
        blocks = {}
        for res_id in res_ids:
            partner_id = partners.get(res_id)
            rows = by_partner.get(partner_id, [])
            if not rows:
                blocks[res_id] = qweb._render(
                    "mkt_scoring.mkt_recommendation_block", {"cards": []}
                )
                continue
            discount = discounts.get(partner_id) or 0.0
            blocks[res_id] = qweb._render(
                "mkt_scoring.mkt_recommendation_block",
                {
                    "cards": [
                        dict(
                            cards[row.product_id.id],
                            reason=reasons[row.reason],
                            **self._discounted(
                                cards[row.product_id.id], discount, company
                            ),
                        )
                        for row in rows
                    ],
                    "discount": discount,
                },
            )
        return blocks

    def _product_cards(self, products, company):
        """{product id: dict} with what a card shows of each product."""
        base_url = company.get_base_url()
        cards = {}
        for product in products:
            image_url = False
            if product.image_256:
                token = limited_field_access_token(product, "image_256")
                image_url = (
                    f"{base_url}/web/image/product.product/{product.id}/image_256"
                    f"?access_token={token}"
                )
            cards[product.id] = {
                "name": product.display_name,
                "price": product.lst_price,
                "price_text": format_amount(
                    self.env, product.lst_price, company.currency_id
                ),
                "image_url": image_url,
                "code": product.default_code or "",
            }
        return cards

    def _discounted(self, card, discount, company):
        if not discount:
            return {"discount_text": False, "discounted_text": False}
        return {
            "discount_text": f"{discount:g} %",
            "discounted_text": format_amount(
                self.env,
                company.currency_id.round(card["price"] * (1 - discount / 100)),
                company.currency_id,
            ),
        }
