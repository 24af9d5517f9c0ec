"""How the reports domain's audit actions read as sentences (core/history.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.core.history import Sentence, Sentences, says

_ACTIONS: dict[str, Sentence] = {
    "transparency.edited": says(
        _l("%(who)s edited the introduction of the transparency page of %(program)s."),
        program="program",
    ),
    "transparency.published": says(
        _l("%(who)s published the transparency page of %(program)s."), program="program"
    ),
    "transparency.withdrawn": says(
        _l("%(who)s withdrew the transparency page of %(program)s from the public site."),
        program="program",
    ),
}

SENTENCES = Sentences(_ACTIONS)
