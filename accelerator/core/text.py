"""Text for people: Unicode-aware keys to compare names (SQLite's lower() folds only ASCII)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
#: Apostrophes and quotes people and spreadsheets type for the same thing.
_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc\u02b9\u0060\u00b4\u2032"})


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
