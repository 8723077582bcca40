from . import mail_compose_message
from . import mkt_voucher_print
