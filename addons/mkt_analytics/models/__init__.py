from . import res_company
from . import res_config_settings
from . import mkt_attribution
from . import sale_order
from . import account_move
from . import mkt_segment
from . import mkt_trend_snapshot
from . import mkt_demo_data
