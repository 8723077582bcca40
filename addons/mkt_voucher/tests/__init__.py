from . import test_concurrency
from . import test_install
from . import test_segment_voucher
