"""How enrollment events read in a startup's history (core/history.py)."""

from __future__ import annotations

from flask_babel import gettext as _

from accelerator.core.history import Sentence, Sentences

_ACTIONS: dict[str, Sentence] = {}

_ACTIONS.update(
    {
        "enrollment.created": lambda who, d: _(
            "%(who)s enrolled the startup in the cohort.", who=who
        ),
    }
)

_ACTIONS.update(
    {
        "program.created": lambda who, d: _(
            "%(who)s created the program %(name)s.", who=who, name=d.get("name", "")
        ),
        "program.updated": lambda who, d: _("%(who)s updated a program.", who=who),
        "cohort.created": lambda who, d: _(
            "%(who)s created the cohort %(name)s of %(program)s.",
            who=who,
            name=d.get("name", ""),
            program=d.get("program", ""),
        ),
        "cohort.updated": lambda who, d: _("%(who)s updated a cohort.", who=who),
        "cohort.published": lambda who, d: _(
            "%(who)s published %(name)s.", who=who, name=d.get("name", "")
        ),
        "cohort.unpublished": lambda who, d: _(
            "%(who)s took %(name)s back to draft.", who=who, name=d.get("name", "")
        ),
        "tag.created": lambda who, d: _(
            "%(who)s added the expertise tag “%(name)s”.", who=who, name=d.get("name", "")
        ),
        "tag.renamed": lambda who, d: _(
            "%(who)s renamed the expertise tag “%(before)s” to “%(after)s”.",
            who=who,
            before=d.get("from", ""),
            after=d.get("to", ""),
        ),
        "tag.deleted": lambda who, d: _(
            "%(who)s deleted the expertise tag “%(name)s”.", who=who, name=d.get("name", "")
        ),
    }
)

SENTENCES = Sentences(
    _ACTIONS,
    # Confirming an offered place enrolls the startup: one act, told by "confirmed the offered
    # place: the startup is enrolled" (applications/history.py).
    folds=(("offer.confirmed", "enrollment.created", None),),
)
