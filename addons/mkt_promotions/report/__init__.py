from . import mkt_promotion_report
