"""The suite's add-ons, for the suite-level tests that check each of them."""

SUITE = (
    "mkt_scoring",
    "mkt_promotions",
    "mkt_voucher",
    "mkt_campaign_flow",
    "mkt_analytics",
    "mkt_promotions_purchase",
    "mkt_campaign_purchase",
    "mkt_campaign_voucher",
    "mkt_analytics_pos",
)
