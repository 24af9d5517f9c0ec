"""Everything the tester panel adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.testers import history

hooks.history.connect(history.SENTENCES, name="testers")
