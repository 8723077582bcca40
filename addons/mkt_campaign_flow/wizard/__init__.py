from . import mkt_campaign_scan
