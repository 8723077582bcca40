from . import test_install
from . import test_attribution
from . import test_performance_report
from . import test_attribution_cron
from . import test_segments
from . import test_dashboard
from . import test_campaign_touches
from . import test_recommendation_report
