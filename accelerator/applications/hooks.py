"""Everything the applications domain adds to others (core/hooks.py)."""

from accelerator.applications import exporting, history, importing, panels
from accelerator.core import hooks

hooks.nav_member.connect("applications/_nav.html", order=20)
hooks.home_founder.connect(
    "applications/_home_founder.html",
    order=10,
    context=panels.founder_panel,
    reads=panels.FOUNDER_HOME_READS,
)
hooks.home_staff.connect("applications/_home_staff.html", order=20, context=panels.staff_panel)
hooks.startup_staff.connect(
    "applications/_startup_profile.html",
    order=10,
    reads=("startups", "startup_members", "users", "startup_needs", "expertise_tags"),
)
hooks.history.connect(history.SENTENCES, name="applications")
hooks.jobs.connect(importing.IMPORT_JOB)
hooks.jobs.connect(exporting.EXPORT_JOB)
