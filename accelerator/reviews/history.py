"""How review events read in the audit log (core/history.py). Reviewers are named to staff
only: the audit log and the staff pages; founders never see these sentences."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.core.history import Sentence, Sentences, person, says
from accelerator.core.i18n import gettext as _


def _assigned(who: str, d: dict) -> str:
    reviewer = person(d, "reviewer_id")
    if reviewer == who:
        return _("%(who)s took an application to review.", who=who)
    return _("%(who)s asked %(reviewer)s to review an application.", who=who, reviewer=reviewer)


def _with_reviewer(message) -> Sentence:
    """A sentence naming who acted and the reviewer the event is about."""
    return says(message, reviewer=lambda d: person(d, "reviewer_id"))


_ACTIONS: dict[str, Sentence] = {}

_ACTIONS.update(
    {
        "review.panel_added": _with_reviewer(
            _l("%(who)s added %(reviewer)s to the cohort's reviewers.")
        ),
        "review.panel_removed": _with_reviewer(
            _l("%(who)s removed %(reviewer)s from the cohort's reviewers.")
        ),
        "review.assigned": _assigned,
        "review.unassigned": _with_reviewer(
            _l("%(who)s took an application off the list of %(reviewer)s.")
        ),
        "review.auto_assigned": says(
            _l("%(who)s assigned reviewers automatically (%(created)s assignments)."),
            created=lambda d: d.get("created", 0),
        ),
        "review.no_conflict_declared": says(
            _l("%(who)s declared no conflict of interest with an application.")
        ),
        "review.conflict_declared": says(
            _l("%(who)s declared a conflict of interest and stepped aside.")
        ),
        "review.replacement_missing": says(
            _l("No other reviewer was free to replace a reviewer with a conflict of interest.")
        ),
        "review.submitted": says(_l("%(who)s submitted a review.")),
        "review.updated": says(_l("%(who)s changed a review.")),
    }
)

SENTENCES = Sentences(
    _ACTIONS,
    people=("reviewer_id",),
)
