from . import mkt_performance_report
