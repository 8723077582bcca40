from . import test_customer_class
from . import test_demo_data
from . import test_install
from . import test_order_history
from . import test_ui
from . import test_scoring
from . import test_scoring_run
