from . import mkt_purchase_proposal
