from . import mkt_voucher_print
