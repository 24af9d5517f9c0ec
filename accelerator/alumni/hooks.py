"""Everything the alumni domain adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.alumni import history

hooks.history.connect(history.SENTENCES, name="alumni")
