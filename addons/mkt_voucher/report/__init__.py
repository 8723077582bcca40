from . import mkt_voucher_redemption_report
from . import mkt_voucher_sheet
