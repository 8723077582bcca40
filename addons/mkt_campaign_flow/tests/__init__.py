from . import (
    test_campaign,
    test_concurrency,
    test_constraints,
    test_install,
    test_performance,
    test_reference_case,
    test_ui,
)
