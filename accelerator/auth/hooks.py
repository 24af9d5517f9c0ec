"""Everything the auth domain adds to others (core/hooks.py): how its audit events read."""

from accelerator.auth import history
from accelerator.core import hooks

hooks.history.connect(history.SENTENCES, name="auth")
