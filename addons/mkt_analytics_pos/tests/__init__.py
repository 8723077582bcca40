from . import test_pos_segments
from . import test_pos_channel_report
from . import test_demo_data
