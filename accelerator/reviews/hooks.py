"""Everything the reviews domain adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.reviews import cli, history, panels

hooks.nav_member.connect("reviews/_nav.html", order=30)
hooks.home_staff.connect("reviews/_home_staff.html", order=30, context=panels.staff_home_panel)
hooks.home_mentor.connect(
    "reviews/_home_reviewer.html", order=30, context=panels.reviewer_home_panel
)
hooks.home_founder.connect(
    "reviews/_home_founder.html",
    order=30,
    context=panels.founder_home_panel,
    reads=panels.FOUNDER_HOME_READS,
)
hooks.cohort_staff.connect(
    "reviews/_cohort_panel.html",
    order=30,
    reads=("applications", "offers", "ranking_states", "reviews"),
)
hooks.application_staff.connect("reviews/_application_panel.html", order=30)
hooks.application_founder.connect("reviews/_founder_offer.html", order=30)
hooks.startup_staff.connect(
    "reviews/_startup_applications.html",
    order=20,
    context=panels.startup_staff_panel,
    reads=(
        "applications",
        "cohorts",
        "programs",
        "reviews",
        "review_assignments",
        "decisions",
        "offers",
    ),
)
hooks.history.connect(history.SENTENCES, name="reviews")
hooks.cli_commands.connect(cli.cli)
