from . import mkt_customer_class, mkt_demo_data
