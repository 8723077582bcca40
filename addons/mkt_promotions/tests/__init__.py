from . import test_benefits
from . import test_earlybird
from . import test_install
from . import test_order_entry
from . import test_performance
from . import test_planning
from . import test_promotion_config
from . import test_ui
