"""Money is integer cents plus an ISO currency code; these helpers parse and format it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import format_currency


def parse_cents(text: str | None) -> int | None:
    """Parse a user-typed amount ("20,000", "1 500.50", "$300") into cents; None if unreadable."""
    if text is None:
        return None
    cleaned = str(text).strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
    cleaned = cleaned.lstrip("$€£")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    cents = (value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    if cents != value * 100:
        return None  # more than two decimals: refuse rather than silently round money
    return int(cents)


def format_cents(cents: int | None, currency: str = "USD") -> str:
    """Format cents for display in the current locale, e.g. 2000000 -> "$20,000.00"."""
    if cents is None:
        return ""
    return format_currency(Decimal(cents) / 100, currency)


def cents_to_input(cents: int | None) -> str:
    """Render cents for an input field, e.g. 2000050 -> "20000.50"."""
    if cents is None:
        return ""
    return f"{Decimal(cents) / 100:.2f}"
