from datetime import date, timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.mkt_scoring.tools.order_history import OrderHistoryBuilder

from .common import MktCommon

TODAY = date.today()

# (score from, customers, cumulative customers, share %, cumulative share %,
#  revenue in 12 months, cumulative revenue), best first, for an interval of 100.
EXPECTED_100 = [
    (400, 2, 2, 20.0, 20.0, 200.0, 200.0),
    (300, 1, 3, 10.0, 30.0, 60.0, 260.0),
    (200, 1, 4, 10.0, 40.0, 20.0, 280.0),
    (100, 2, 6, 20.0, 60.0, 0.0, 280.0),
    (0, 2, 8, 20.0, 80.0, 0.0, 280.0),
    (-100, 1, 9, 10.0, 90.0, 0.0, 280.0),
    (-200, 0, 9, 0.0, 90.0, 0.0, 280.0),
    (-300, 1, 10, 10.0, 100.0, 0.0, 280.0),
]


@tagged("post_install", "-at_install", "mkt")
class TestScoreAnalysis(MktCommon):
    """Ten scored customers of the company, and some that must not count.

    ========  =====  =================================================
    customer  score  confirmed orders
    ========  =====  =================================================
    s460      460    cheese 200.00 (30 days), wine 30.00 (2 years)
    s420      420    -
    s390      390    wine 60.00, ordered by its contact person
    s250      250    cheese 20.00
    s120      120    a cancelled order only
    s100      100    -
    s99       99     -
    s0        0      -
    s_neg20   -20    -
    s_neg250  -250   -
    ========  =====  =================================================

    Not counted: a customer without a score date (but with orders), an
    archived scored customer, a customer scored for another company only.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only these customers are scored for the company in this test.
        Score = cls.env["mkt.customer.score"]
        Score.search([("company_id", "=", cls.company.id)]).unlink()
        Partner = cls.env["res.partner"]
        cls.scored = {}
        for score in (460, 420, 390, 250, 120, 100, 99, 0, -20, -250):
            cls.scored[score] = Partner.create(
                {
                    "name": f"Scored {score}",
                    "customer_rank": 1,
                    "is_company": True,
                    "email": f"s{score}@example.com",
                }
            )
        cls.contact_390 = Partner.create(
            {"name": "Buyer 390", "parent_id": cls.scored[390].id}
        )
        cls.unscored = Partner.create({"name": "Unscored", "customer_rank": 1})
        cls.archived = Partner.create({"name": "Archived", "customer_rank": 1})
        cls.other_company = cls.env["res.company"].create({"name": "Other Co"})
        cls.elsewhere = Partner.create({"name": "Scored elsewhere", "customer_rank": 1})
        # What a scoring run writes.
        Score.create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": cls.company.id,
                    "score": score,
                    "score_date": TODAY,
                }
                for score, partner in cls.scored.items()
            ]
            + [
                {
                    "partner_id": cls.archived.id,
                    "company_id": cls.company.id,
                    "score": 300,
                    "score_date": TODAY,
                },
                {
                    "partner_id": cls.elsewhere.id,
                    "company_id": cls.other_company.id,
                    "score": 500,
                    "score_date": TODAY,
                },
            ]
        )
        cls.archived.action_archive()
        cheese, wine = cls.product_cheese, cls.product_wine  # 20.00 and 15.00
        builder = OrderHistoryBuilder(cls.env)
        for partner, when, lines in [
            (cls.scored[460], TODAY - timedelta(days=30), [(cheese, 10, None)]),
            (cls.scored[460], TODAY - timedelta(days=730), [(wine, 2, None)]),
            (cls.contact_390, TODAY - timedelta(days=90), [(wine, 4, None)]),
            (cls.scored[250], TODAY - timedelta(days=5), [(cheese, 1, None)]),
            (cls.unscored, TODAY - timedelta(days=5), [(cheese, 50, None)]),
        ]:
            builder.add_order(partner, when, lines, invoice=False)
        builder.build()
        cls.env["sale.order"].create(
            {
                "partner_id": cls.scored[120].id,
                "order_line": [(0, 0, {"product_id": cheese.id, "product_uom_qty": 9})],
            }
        ).action_cancel()
        cls.Analysis = cls.env["mkt.score.analysis"]
        cls.user_mailer = new_test_user(
            cls.env,
            login="mkt_analysis_mailer",
            groups="mkt_scoring.mkt_group_user,mass_mailing.group_mass_mailing_user",
        )

    def analyse(self, user=None, **values):
        Analysis = self.Analysis.with_user(user) if user else self.Analysis
        analysis = Analysis.create(values)
        analysis.action_compute()
        return analysis

    def rows(self, analysis):
        return [
            (
                line.score_from,
                line.count,
                line.cumulative_count,
                round(line.share, 2),
                round(line.cumulative_share, 2),
                line.revenue,
                line.cumulative_revenue,
            )
            for line in analysis.line_ids
        ]

    def test_intervals_of_100(self):
        analysis = self.analyse()
        self.assertEqual(analysis.interval, 100, "the default interval")
        self.assertEqual(self.rows(analysis), EXPECTED_100)
        self.assertEqual(analysis.line_ids[0].score_to, 499)
        self.assertEqual(analysis.partner_count, 10)
        self.assertEqual(analysis.revenue, 280.0)
        # Analysed again with another interval: the lines are replaced.
        analysis.interval = 500
        analysis.action_compute()
        self.assertEqual(
            [(line.score_from, line.cumulative_count) for line in analysis.line_ids],
            [(0, 8), (-500, 10)],
        )
        self.assertEqual(
            self.env["mkt.score.analysis.line"].search_count(
                [("analysis_id", "=", analysis.id)]
            ),
            2,
        )

    def test_other_interval_and_whole_history(self):
        analysis = self.analyse(interval=250, revenue_months=0)
        self.assertEqual(
            [
                (line.score_from, line.count, line.cumulative_count, line.revenue)
                for line in analysis.line_ids
            ],
            # 460, 420, 390, 250 | 120, 100, 99, 0 | -20, -250; the 2-year-old
            # order counts now.
            [(250, 4, 4, 310.0), (0, 4, 8, 0.0), (-250, 2, 10, 0.0)],
        )
        self.assertEqual(analysis.line_ids.mapped("share"), [40.0, 40.0, 20.0])

    def test_one_query(self):
        analysis = self.Analysis.create({"interval": 100})
        self.env.flush_all()
        with self.assertQueryCount(1):
            rows = analysis._read_intervals()
        self.assertEqual(len(rows), 8)

    def test_newly_scored_customer_counts(self):
        newcomer = self.env["res.partner"].create(
            {"name": "Newcomer", "customer_rank": 1}
        )
        self.env["mkt.score.engine"]._score_partners(newcomer.ids, self.company)
        self.assertTrue(newcomer.mkt_score_date)
        self.assertEqual(self.analyse().partner_count, 11)

    def test_interval_must_be_positive(self):
        for interval in (0, -100):
            with self.subTest(interval=interval):
                with self.assertRaisesRegex(ValidationError, "positive") as error:
                    self.Analysis.create({"interval": interval})
                self.assertIn("Interval", str(error.exception))
        with self.assertRaisesRegex(ValidationError, "Interval"):
            self.Analysis.create({"interval": 50}).interval = 0
        with self.assertRaisesRegex(ValidationError, "Revenue Period"):
            self.Analysis.create({"interval": 50}).revenue_months = -1

    # ------------------------------------------------------------------
    # From a line: the customers at or above its score
    # ------------------------------------------------------------------

    def test_line_selects_customers_at_or_above(self):
        analysis = self.analyse()
        line = analysis.line_ids.filtered(lambda line: line.score_from == 100)
        expected = (
            self.scored[460]
            | self.scored[420]
            | self.scored[390]
            | self.scored[250]
            | self.scored[120]
            | self.scored[100]
        )
        action = line.action_open_partners()
        self.assertEqual(action["res_model"], "res.partner")
        self.assertEqual(self.env["res.partner"].search(action["domain"]), expected)
        # Negative scores too.
        bottom = analysis.line_ids[-1]
        self.assertEqual(
            len(
                self.env["res.partner"].search(bottom.action_open_partners()["domain"])
            ),
            10,
        )

        segment_action = line.with_user(self.user_marketing).action_create_segment()
        segment = self.env["mkt.segment"].browse(segment_action["res_id"])
        self.assertEqual(segment.company_id, self.company)
        self.assertEqual(segment.partner_count, 6)
        self.assertEqual(segment._get_partner_ids(), sorted(expected.ids))

    def test_line_to_mailing_list(self):
        analysis = self.analyse(user=self.user_mailer)
        line = analysis.line_ids.filtered(lambda line: line.score_from == 300)
        action = line.action_add_to_mailing_list()
        wizard = (
            self.env["mkt.segment.mailing.list"]
            .with_user(self.user_mailer)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.analysis_line_id, line)
        self.assertIn("300", wizard.new_list_name)
        wizard.action_add()
        mailing_list = self.env["mailing.list"].search(
            [("name", "=", wizard.new_list_name)]
        )
        self.assertEqual(
            sorted(mailing_list.contact_ids.mapped("email")),
            ["s390@example.com", "s420@example.com", "s460@example.com"],
        )

    # ------------------------------------------------------------------
    # Print, export, access
    # ------------------------------------------------------------------

    def test_pdf_report(self):
        analysis = self.analyse()
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html(
            "mkt_scoring.mkt_score_analysis_report", analysis.ids
        )[0].decode()
        self.assertIn("Customer Quality Analysis", html)
        self.assertIn("280.00", html)
        pdf, kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "mkt_scoring.mkt_score_analysis_report", res_ids=analysis.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        # Without a document layout, Odoo asks for one before the first print.
        self.company.external_report_layout_id = self.env.ref(
            "web.external_layout_standard"
        )
        self.assertEqual(analysis.action_print()["type"], "ir.actions.report")

    def test_lines_export(self):
        analysis = self.analyse()
        action = analysis.action_open_lines()
        lines = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(lines, analysis.line_ids)
        exported = lines.export_data(["score_from", "count", "cumulative_count"])
        self.assertEqual(
            exported["datas"],
            [[row[0], row[1], row[2]] for row in EXPECTED_100],
        )

    def test_access_per_role(self):
        for user in (
            self.user_salesman,
            self.user_marketing,
            self.user_marketing_manager,
        ):
            with self.subTest(user=user.login):
                analysis = self.analyse(user=user)
                self.assertEqual(analysis.partner_count, 10)
                self.assertEqual(len(analysis.line_ids), 8)
        line = self.analyse(user=self.user_salesman).line_ids[0]
        self.assertTrue(line.action_open_partners())
        with self.assertRaises(AccessError):
            line.action_create_segment()
        portal = new_test_user(
            self.env, login="mkt_portal_qa", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self.Analysis.with_user(portal).create({"interval": 100})
