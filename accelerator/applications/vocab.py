"""Fixed vocabularies of the startup profile: countries (ISO 3166-1 alpha-2), sectors, stages."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError, localedata

from accelerator.applications.models import Stage
from accelerator.core.i18n import current_locale
from accelerator.core.i18n import gettext as _
from accelerator.core.text import loose_key

SECTORS: list[str] = [
    "AI & data",
    "Cybersecurity",
    "E-commerce & retail",
    "Education",
    "Energy & climate",
    "Enterprise software",
    "Fintech",
    "Health",
    "IoT & hardware",
    "Media & entertainment",
    "Mobility",
    "Smart cities",
    "Telecom & networks",
    "Other",
]

#: Stage -> lazy label (the labels live on the enum).
STAGE_LABELS = {stage: stage.lazy_label for stage in Stage}

#: Currencies offered for the money answers (all with two decimals, as parse_cents expects).
CURRENCIES = ["USD", "EUR", "GBP", "CHF", "CAD"]

# Babel's territories include regions and pseudo-codes that are not countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


@lru_cache(maxsize=8)
def _countries(locale_code: str) -> tuple[tuple[str, str], ...]:
    names = Locale.parse(locale_code).territories
    pairs = [
        (code, name)
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code.isupper() and code not in _NOT_COUNTRIES
    ]
    return tuple(sorted(pairs, key=lambda pair: pair[1]))


def country_pairs() -> tuple[tuple[str, str], ...]:
    """(ISO code, name in the current language), sorted by name."""
    try:
        code = str(current_locale() or "en")
    except RuntimeError:  # outside a request
        code = "en"
    return _countries(code)


def country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in _countries("en"))


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return dict(country_pairs()).get(code, code)


@lru_cache(maxsize=1)
def _country_lookup() -> dict[str, str]:
    """Loose keys of English and French names and of codes -> ISO code, for CSV imports."""
    lookup: dict[str, str] = {}
    for locale_code in ("en", "fr"):
        for code, name in _countries(locale_code):
            lookup[loose_key(name)] = code
            lookup[code.lower()] = code
    lookup.update({"usa": "US", "uk": "GB", "england": "GB", "the netherlands": "NL"})
    return lookup


@lru_cache(maxsize=1)
def _country_names_everywhere() -> dict[str, str]:
    """Loose keys of every country name in every language Babel knows -> ISO code.

    Built once, on the first name the English and French table does not know; a name that
    means different countries in different languages is left out rather than guessed.
    """
    codes = country_codes()
    found: dict[str, set[str]] = {}
    for identifier in localedata.locale_identifiers():
        if "_" in identifier:
            continue  # regional variants repeat their language's names
        try:
            territories = Locale.parse(identifier).territories
        except (ValueError, UnknownLocaleError):  # pragma: no cover - data Babel ships
            continue
        for code, name in territories.items():
            if code in codes:
                found.setdefault(loose_key(name), set()).add(code)
    return {key: next(iter(hits)) for key, hits in found.items() if len(hits) == 1 and key}


def parse_country(text: str) -> str | None:
    """An ISO code from a code or a country name in any language ("fr", "Deutschland",
    "Côte d'Ivoire" with either apostrophe, "SÉNÉGAL"); None if unknown."""
    key = loose_key(text)
    if not key:
        return None
    return _country_lookup().get(key) or _country_names_everywhere().get(key)


def parse_stage(text: str) -> Stage | None:
    """A stage from its value or label ("seed", "Pre-seed", "Series A", "series b+")."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_").replace("+", "_plus")
    aliases = {"preseed": "pre_seed", "series_b": "series_b_plus", "series_b_plus": "series_b_plus"}
    key = aliases.get(key, key)
    if key.startswith("series_") and key not in {s.value for s in Stage}:
        key = "series_b_plus" if key[7:8] in "bcdefg" else key
    try:
        return Stage(key)
    except ValueError:
        return None


def normalise_sector(text: str) -> str:
    """The known sector spelled as in SECTORS when it matches, else the text as given."""
    cleaned = " ".join(text.split())
    for sector in SECTORS:
        if sector.lower() == cleaned.lower():
            return sector
    return cleaned


def normalise_website(text: str) -> str | None:
    """An http(s) address ("example.com" gets https://); ValueError when it is not one."""
    value = text.strip()
    if not value:
        return None
    if "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
    except ValueError as error:
        raise ValueError(_("is not a web address")) from error
    if parts.scheme not in ("http", "https") or "." not in host or len(value) > 300:
        raise ValueError(_("is not a web address"))
    if any(c.isspace() for c in value):
        raise ValueError(_("is not a web address"))
    return value
