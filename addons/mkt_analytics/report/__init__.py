from . import mkt_performance_report
from . import mkt_recommendation_report
from . import mkt_trend_movement_report
from . import mkt_dashboard
