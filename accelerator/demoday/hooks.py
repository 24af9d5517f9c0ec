"""Everything the demoday domain adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.demoday import history

hooks.history.connect(history.SENTENCES, name="demoday")
