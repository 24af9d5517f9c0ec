"""Everything the programs domain adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.programs import history, panels

hooks.nav_public.connect("programs/_nav.html", order=10)
hooks.home_staff.connect("programs/_home_staff.html", order=10, context=panels.staff_panel)
hooks.home_founder.connect(
    "programs/_home_founder.html",
    order=20,
    context=panels.founder_panel,
    reads=panels.FOUNDER_HOME_READS,
)
hooks.history.connect(history.SENTENCES, name="programs")
