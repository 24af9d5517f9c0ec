"""Everything the api domain adds to others (core/hooks.py)."""

from accelerator.api import history
from accelerator.core import hooks

hooks.history.connect(history.SENTENCES, name="api")
