"""Text for people: text as typed, cleaned and checked; Unicode-aware keys to compare names
(SQLite's lower() folds only ASCII)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from accelerator.core.errors import ValidationFailed

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Apostrophes and quotes people and spreadsheets type for the same thing.
_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc\u02b9\u0060\u00b4\u2032"})


def clean_text(value: Any) -> str:
    """Text as typed, trimmed, without control characters (PostgreSQL refuses NUL bytes)."""
    return _CONTROL.sub("", str(value or "")).strip()


def checked_text(
    value: Any, *, field: str, limit: int, too_long: str, required: str | None = None
) -> str:
    """Text a person typed for a service, cleaned (`clean_text`): refused beside `field` with
    `required` (its message) when empty, with `too_long` when over `limit` characters."""
    text = clean_text(value)
    if required and not text:
        raise ValidationFailed(required, field=field)
    if len(text) > limit:
        raise ValidationFailed(too_long, field=field)
    return text


def name_key(text: str | None) -> str:
    """The key two names share when a person would call them the same: NFKC, casefold,
    one kind of apostrophe, single spaces ("Société  12 — Éclair" == "SOCIÉTÉ 12 — éclair")."""
    folded = unicodedata.normalize("NFKC", text or "").translate(_APOSTROPHES).casefold()
    return _SPACES.sub(" ", folded).strip()


def loose_key(text: str | None) -> str:
    """A looser key for names from a fixed list (countries): accents and punctuation dropped
    too, so "Cote d'Ivoire", "Côte d’Ivoire" and "COTE D IVOIRE" meet."""
    decomposed = unicodedata.normalize("NFKD", name_key(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", re.sub(r"[\W_]+", " ", plain)).strip()
