from . import test_customer_class, test_demo_data, test_install, test_order_history
