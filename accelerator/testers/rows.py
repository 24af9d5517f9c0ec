"""One line of a sheet of testers, cleaned and checked: each cell's value (an e-mail address,
an attribute's allowed value named in English or French, a country, a language, an age band, a
date of consent) or the reason why not; a required field left empty; an address seen twice.
Each distinct text of a column is cleaned once: a panel's file repeats its values."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import pandas as pd
from babel import Locale
from email_validator import EmailNotValidError, validate_email

from accelerator.core.i18n import gettext as _
from accelerator.core.text import clean_text, loose_key
from accelerator.core.textfiles import typed_datetime
from accelerator.core.types import utcnow
from accelerator.testers.models import (
    AgeBand,
    Device,
    Gender,
    OperatingSystem,
    Segment,
)
from accelerator.testers.sheets import LABELS, REQUIRED_KEYS

# --- One cell's value, or why not ------------------------------------------------------------


class _Refused(ValueError):
    """A cell's value cannot be imported; its message says why."""


def _choices(enum, aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    found = {loose_key(m.value): m.value for m in enum}
    for value, names in aliases.items():
        found.update((loose_key(name), value) for name in names)
    return found


_GENDERS = _choices(
    Gender,
    {
        "female": ("f", "woman", "femme", "feminin", "féminin"),
        "male": ("m", "man", "h", "homme", "masculin"),
        "other": ("autre", "non binary", "non-binary", "non binaire", "x"),
        "undisclosed": (
            "prefer not to say",
            "not disclosed",
            "ne souhaite pas répondre",
            "ne se prononce pas",
            "nsp",
        ),
    },
)
_DEVICES = _choices(
    Device,
    {
        "phone": ("smartphone", "mobile", "mobile phone", "téléphone", "telephone", "portable"),
        "tablet": ("tablette", "ipad"),
        "computer": ("desktop", "laptop", "pc", "ordinateur", "ordinateur portable"),
    },
)
_SYSTEMS = _choices(
    OperatingSystem,
    {
        "ios": ("iphone", "ipados", "apple ios"),
        "android": ("google android",),
        "windows": ("win", "microsoft windows"),
        "macos": ("mac", "mac os", "macos x", "os x", "osx"),
        "linux": ("ubuntu", "debian", "fedora"),
        "other": ("autre",),
    },
)
_SEGMENTS = _choices(
    Segment,
    {
        "consumer": ("particulier", "grand public", "b2c", "individual", "personal", "résidentiel"),
        "pro": ("professional", "professionnel", "business", "b2b", "entreprise", "company"),
    },
)
_BANDS = [(int(m.value[:2]), m.value) for m in AgeBand]  # (lowest age, value), ascending


def _one_of(text: str, known: dict[str, str], enum) -> str:
    value = known.get(loose_key(text))
    if value is None:
        raise _Refused(_("is not one of: %(allowed)s", allowed=", ".join(m.value for m in enum)))
    return value


def _age_band(text: str) -> str:
    """A band ("25-34", "25–34", "25 à 34 ans", "65+", "65 and over") or an age (37)."""
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if len(numbers) == 2:
        band = f"{numbers[0]}-{numbers[1]}"
        if band in {m.value for m in AgeBand}:
            return band
    elif len(numbers) == 1 and 18 <= numbers[0] <= 120:
        return next(value for low, value in reversed(_BANDS) if numbers[0] >= low)
    raise _Refused(_("is not one of: %(allowed)s", allowed=", ".join(m.value for m in AgeBand)))


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Loose keys of English and French country names and of ISO codes -> the code."""
    lookup: dict[str, str] = {}
    for locale_code in ("en", "fr"):
        for code, name in Locale.parse(locale_code).territories.items():
            if len(code) == 2 and code.isalpha() and code.isupper():
                lookup[loose_key(name)] = code
                lookup[code.lower()] = code
    lookup.update({"usa": "US", "uk": "GB", "england": "GB", "angleterre": "GB"})
    return lookup


def _country(text: str) -> str:
    code = _countries().get(loose_key(text))
    if code is None:
        raise _Refused(_("is not a country (a name in English or French, or its code: FR, US)"))
    return code


@lru_cache(maxsize=1)
def _languages() -> dict[str, str]:
    """Loose keys of English and French language names and of two-letter codes -> the code."""
    lookup: dict[str, str] = {}
    for locale_code in ("en", "fr"):
        for code, name in Locale.parse(locale_code).languages.items():
            if len(code) == 2 and code.isalpha():
                lookup[loose_key(name)] = code
                lookup[code.lower()] = code
    return lookup


def _language(text: str) -> str:
    base = re.split(r"[-_]", text.strip(), maxsplit=1)[0] if len(text) <= 6 else text
    code = _languages().get(loose_key(base))
    if code is None:
        raise _Refused(_("is not a language (a name in English or French, or its code: fr, en)"))
    return code


def _consent_at(text: str) -> datetime:
    """A date (and time) of consent, read as UTC: ISO, or day first (31/12/2025)."""
    value = typed_datetime(text)
    if value is None:
        raise _Refused(_("is not a date (use YYYY-MM-DD or DD/MM/YYYY)"))
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if value > utcnow() or value.year < 2000:
        raise _Refused(_("is not a plausible date of consent"))
    return value


#: An address plainly valid (ASCII, no quoting): accepted without the full check, which costs
#: more than the rest of a line; anything else goes through email_validator.
_PLAIN_EMAIL = re.compile(
    r"^[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$"
)
_SPECIAL_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test", "internal")


def _email(text: str) -> str:
    lowered = text.lower()
    if (
        len(lowered) <= 254
        and _PLAIN_EMAIL.match(lowered)
        and lowered.rsplit(".", 1)[1] not in _SPECIAL_DOMAINS
    ):
        return lowered
    try:
        normalized = validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise _Refused(_("is not an e-mail address")) from error
    if len(normalized) > 254:
        raise _Refused(_("is longer than %(n)d characters", n=254))
    return normalized


def _limited(limit: int) -> Callable[[str], str]:
    def clean(text: str) -> str:
        if len(text) > limit:
            raise _Refused(_("is longer than %(n)d characters", n=limit))
        return text

    return clean


def _interests(text: str) -> list[str]:
    found: list[str] = []
    for part in re.split(r"[,;|]", text):
        item = part.strip()
        if not item or item in found:
            continue
        if len(item) > 40:
            raise _Refused(_("holds an interest longer than %(n)d characters", n=40))
        found.append(item)
    if len(found) > 20:
        raise _Refused(_("lists more than %(n)d interests", n=20))
    return found


_CLEANERS: dict[str, Callable[[str], Any]] = {
    "email": _email,
    "name": _limited(120),
    "country": _country,
    "language": _language,
    "age_band": _age_band,
    "gender": lambda t: _one_of(t, _GENDERS, Gender),
    "region": _limited(80),
    "device": lambda t: _one_of(t, _DEVICES, Device),
    "os": lambda t: _one_of(t, _SYSTEMS, OperatingSystem),
    "segment": lambda t: _one_of(t, _SEGMENTS, Segment),
    "interests": _interests,
    "consent_at": _consent_at,
    "consent_source": _limited(80),
    "consent_version": _limited(20),
}


def _empty_reason(key: str) -> str:
    if key.startswith("consent_"):
        return _(
            "%(field)s is empty: without consent no one joins the panel", field=str(LABELS[key])
        )
    return _("%(field)s is empty", field=str(LABELS[key]))


# --- Checking the lines ----------------------------------------------------------------------


@dataclass
class Line:
    """A line refused: its number (the spreadsheet row: the header is line 1) and why."""

    line: int
    reasons: list[str]


def _cleaned_column(key: str, values: list[str]) -> list[tuple[Any, str | None]]:
    """(value, reason) per cell of a column; each distinct text is cleaned once."""
    clean = _CLEANERS[key]
    seen: dict[str, tuple[Any, str | None]] = {}
    out = []
    for raw in values:
        found = seen.get(raw)
        if found is None:
            text = clean_text(raw)
            if not text:
                found = (None, None)
            else:
                try:
                    found = (clean(text), None)
                except _Refused as error:
                    shown = text if len(text) <= 40 else text[:37] + "..."
                    found = (
                        None,
                        _(
                            "%(field)s “%(value)s” %(reason)s",
                            field=str(LABELS[key]),
                            value=shown,
                            reason=str(error),
                        ),
                    )
            seen[raw] = found
        out.append(found)
    return out


def check_lines(
    frame: pd.DataFrame, mapping: dict[str, str]
) -> tuple[list[dict[str, Any]], list[Line], int]:
    """Every line of `frame` cleaned through `mapping` (field key -> column, each required
    field mapped): the good lines as their fields' values with their `line` number, the lines
    refused with their reasons, and how many lines were blank. Nothing is read or written."""
    refused: list[Line] = []
    blank_lines = 0
    keys = list(mapping)
    cleaned = {key: _cleaned_column(key, frame[mapping[key]].tolist()) for key in keys}
    blank = frame[[mapping[k] for k in keys]].apply(lambda col: col.str.strip() == "").all(axis=1)
    good: list[dict[str, Any]] = []
    first_line: dict[str, int] = {}
    for index in range(len(frame)):
        if blank.iat[index]:
            blank_lines += 1
            continue
        line = index + 2
        row: dict[str, Any] = {}
        reasons: list[str] = []
        for key in keys:
            value, reason = cleaned[key][index]
            if reason is not None:
                reasons.append(reason)
            elif value is not None:
                row[key] = value
            elif key in REQUIRED_KEYS:
                reasons.append(_empty_reason(key))
        email = row.get("email")
        if email is not None:
            if email in first_line:
                reasons.append(_("the same e-mail as line %(line)d", line=first_line[email]))
            else:
                first_line[email] = line
        if reasons:
            refused.append(Line(line, reasons))
        else:
            row["line"] = line
            good.append(row)
    return good, refused, blank_lines
