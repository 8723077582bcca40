from . import test_campaign_voucher
