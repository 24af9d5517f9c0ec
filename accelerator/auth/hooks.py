"""Everything the auth domain adds to others (core/hooks.py): how its audit events read, and
the language each account reads its mail in."""

from accelerator.auth import history, queries
from accelerator.core import hooks

hooks.history.connect(history.SENTENCES, name="auth")
hooks.mail_locales.connect(queries.locale_of_address, name="auth")
