from . import test_campaign_purchase
from . import test_campaign_purchase_access
from . import test_concurrency
from . import test_ui
