from . import mkt_customer_class
from . import mkt_demo_data
