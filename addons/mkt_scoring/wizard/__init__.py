from . import mkt_score_analysis
from . import mkt_score_analysis_line
from . import mkt_segment_mailing_list
