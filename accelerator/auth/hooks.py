"""Everything the auth domain adds to others (core/hooks.py): how its audit events read, and
the language each account reads its mail in, the staff home's notice to set up two-step
verification."""

from accelerator.auth import history, panels, queries
from accelerator.core import hooks

hooks.history.connect(history.SENTENCES, name="auth")
hooks.mail_locales.connect(queries.locale_of_address, name="auth")
hooks.home_staff.connect(
    "auth/_home_second_factor.html", order=1, context=panels.second_factor_notice
)
