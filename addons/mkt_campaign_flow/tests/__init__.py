from . import test_campaign, test_constraints, test_install, test_reference_case
