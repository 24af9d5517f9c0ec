"""How the reports domain's audit actions read as sentences (core/history.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l  # noqa: F401

from accelerator.core.history import Sentence, Sentences, says  # noqa: F401

_ACTIONS: dict[str, Sentence] = {}

SENTENCES = Sentences(_ACTIONS)
