"""Money is integer cents plus an ISO currency code; these helpers parse and format it."""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation

from babel import numbers

from accelerator.core.i18n import current_locale

_AMOUNT = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")
_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")


def parse_cents(text: str | None) -> int | None:
    """Parse a user-typed amount into cents; None if unreadable or finer than a cent.

    Reads "20,000", "20,000.50", "$300", "1 500.50" and the French "1 500,50" (a comma followed
    by one or two digits is a decimal comma). Exponents, NaN and infinity are refused.
    """
    if text is None:
        return None
    cleaned = re.sub(r"[\s\u00a0\u202f']", "", str(text)).strip("$€£")
    if "," in cleaned:
        if _THOUSANDS.fullmatch(cleaned):
            cleaned = cleaned.replace(",", "")
        elif "." not in cleaned and cleaned.count(",") == 1 and re.search(r",\d{1,2}$", cleaned):
            cleaned = cleaned.replace(",", ".")
        else:
            return None
    if not _AMOUNT.fullmatch(cleaned):
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    cents = value * 100
    if cents != cents.to_integral_value():
        return None  # more than two decimals: refuse rather than silently round money
    return int(cents)


def format_cents(cents: int | None, currency: str = "USD") -> str:
    """Format cents for display in the current locale, e.g. 2000000 -> "$20,000.00"."""
    if cents is None:
        return ""
    return _formatted(cents, currency, str(current_locale()))


@functools.lru_cache(maxsize=8192)
def _formatted(cents: int, currency: str, locale: str) -> str:
    """Babel parses the locale's pattern on every call; a ledger page formats the same few
    amounts a hundred times."""
    return numbers.format_currency(Decimal(cents) / 100, currency, locale=locale)


def cents_to_input(cents: int | None) -> str:
    """Cents as a person of the current language types them, for an input: 1250000 -> "12,500"
    and 2000050 -> "20,000.50" in English, "12 500" and "20 000,50" in French (a plain space,
    easy to type over; cents only when there are some).

    parse_cents reads either back exactly, whatever the language of the request that posts it.
    """
    if cents is None:
        return ""
    text = f"{Decimal(cents) / 100:,.2f}".removesuffix(".00")
    if _decimal_comma():
        text = text.replace(",", " ").replace(".", ",")
    return text


def _decimal_comma() -> bool:
    """Whether the current language writes a decimal comma (English outside a request)."""
    from flask import has_request_context

    if not has_request_context():
        return False
    return numbers.get_decimal_symbol(current_locale()) == ","
