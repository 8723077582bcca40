from . import test_install, test_reference_case
