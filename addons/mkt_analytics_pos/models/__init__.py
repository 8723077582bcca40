from . import mkt_segment
from . import mkt_demo_data
