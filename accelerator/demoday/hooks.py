"""Everything the demoday domain adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.demoday import history

hooks.history.connect(history.SENTENCES, name="demoday")

# --- The follow-up: the door, interest and introductions, the report -------------------------
from accelerator.demoday import door_views, exports, followup_views  # noqa: E402,F401  (routes)

hooks.home_founder.connect(
    "demoday/followup/_home_founder.html", order=58, context=followup_views.founder_home
)
hooks.cohort_staff.connect(
    "demoday/followup/_cohort_staff.html", order=72, context=followup_views.cohort_staff
)
