from . import card_sql
from . import codes
