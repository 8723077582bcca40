from . import test_pos_segments
from . import test_pos_channel_report
