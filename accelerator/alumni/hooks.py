"""Everything the alumni domain adds to others (core/hooks.py)."""

from accelerator.alumni import history
from accelerator.core import hooks

hooks.history.connect(history.SENTENCES, name="alumni")
