"""How enrollment events read in a startup's history (core/history.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.core.history import Sentence, Sentences, says

_ACTIONS: dict[str, Sentence] = {}

_ACTIONS.update(
    {
        "enrollment.created": says(_l("%(who)s enrolled the startup in the cohort.")),
    }
)

_ACTIONS.update(
    {
        "program.created": says(_l("%(who)s created the program %(name)s."), name="name"),
        "program.updated": says(_l("%(who)s updated a program.")),
        "cohort.created": says(
            _l("%(who)s created the cohort %(name)s of %(program)s."),
            name="name",
            program="program",
        ),
        "cohort.updated": says(_l("%(who)s updated a cohort.")),
        "cohort.published": says(_l("%(who)s published %(name)s."), name="name"),
        "cohort.unpublished": says(_l("%(who)s took %(name)s back to draft."), name="name"),
        "tag.created": says(_l("%(who)s added the expertise tag “%(name)s”."), name="name"),
        "tag.renamed": says(
            _l("%(who)s renamed the expertise tag “%(before)s” to “%(after)s”."),
            before="from",
            after="to",
        ),
        "tag.deleted": says(_l("%(who)s deleted the expertise tag “%(name)s”."), name="name"),
    }
)

SENTENCES = Sentences(
    _ACTIONS,
    # Confirming an offered place enrolls the startup: one act, told by "confirmed the offered
    # place: the startup is enrolled" (applications/history.py).
    folds=(("offer.confirmed", "enrollment.created", None),),
)
