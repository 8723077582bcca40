import io

from freezegun import freeze_time
from PyPDF2 import PdfFileReader

from odoo.tests import tagged

from .common import START, CampaignCommon


@tagged("post_install", "-at_install", "mkt")
class TestLetterPdf(CampaignCommon):
    def test_a_batch_of_letters_is_one_real_pdf(self):
        """Printed by wkhtmltopdf, not the HTML test rendering: one PDF for the
        batch with every participant's letter."""
        campaign = self.create_campaign()
        _invitation, letter, *_rest = self.create_reference_steps(campaign)
        with freeze_time(START):
            campaign.action_start()
        traces = campaign.participant_ids.trace_ids.filtered(
            lambda trace: trace.activity_id == letter
        )
        self.assertGreater(len(traces), 1)
        letter.with_context(force_report_rendering=True)._execute_letter(traces)
        pdf = PdfFileReader(io.BytesIO(letter.letter_attachment_ids.raw))
        self.assertGreaterEqual(len(pdf.pages), len(traces))
