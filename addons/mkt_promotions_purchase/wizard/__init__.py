from . import mkt_purchase_proposal
from . import mkt_purchase_proposal_line
