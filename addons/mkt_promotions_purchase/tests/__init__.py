from . import test_concurrency
from . import test_purchase_proposal
from . import test_purchase_proposal_access
from . import test_ui
