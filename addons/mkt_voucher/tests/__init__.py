from . import test_concurrency
from . import test_demo_data
from . import test_install
from . import test_newsletter_optin
from . import test_redemption_report
from . import test_segment_voucher
from . import test_ui
from . import test_voucher_print
