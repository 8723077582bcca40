"""The data generator of every benchmark: N customers with M orders each.

It lives in mkt_scoring (``tools/bulk_history.py``) so that the add-ons' tests
use the same code; see there for what it writes.
"""

from odoo.addons.mkt_scoring.tools.bulk_history import Summary, generate

__all__ = ["Summary", "generate"]
