from . import (
    test_campaign,
    test_concurrency,
    test_constraints,
    test_demo_data,
    test_install,
    test_performance,
    test_reference_case,
    test_ui,
)
