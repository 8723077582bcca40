from . import test_campaign_voucher
from . import test_demo_data
from . import test_concurrency
from . import test_ui
