from . import mkt_campaign
from . import mkt_campaign_product
from . import mkt_demo_data
from . import purchase_order
