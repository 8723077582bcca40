from . import mkt_demo_data
from . import mkt_purchase_demand_mixin
from . import mkt_promotion
from . import purchase_order
