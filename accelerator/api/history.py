"""How the api domain's audit actions read as sentences (core/history.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.core.history import Sentence, Sentences, says
from accelerator.core.i18n import gettext as _


def _created(who: str, d: dict) -> str:
    return _(
        "%(who)s made the API token “%(name)s” (%(scopes)s), valid %(days)s days.",
        who=who,
        name=d.get("name", ""),
        scopes=", ".join(d.get("scopes") or []),
        days=d.get("days", ""),
    )


_ACTIONS: dict[str, Sentence] = {
    "api.token_created": _created,
    "api.token_revoked": says(_l("%(who)s revoked the API token “%(name)s”."), name="name"),
}

SENTENCES = Sentences(_ACTIONS)
