from . import codes
