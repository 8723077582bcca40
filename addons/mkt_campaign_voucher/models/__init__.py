from . import mkt_campaign_activity
from . import mkt_demo_data
