from . import test_campaign_purchase
from . import test_campaign_purchase_access
