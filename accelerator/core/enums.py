"""Enums that carry their own words for people: a label and a badge colour per member, and
for a status, the moves it allows and why it refuses the others.

Like indico's RichEnum: a status's vocabulary lives on the status, so every page, export and
message reads the same label, and one function (`badge_for`, a Jinja global) draws the badge.
"""

from __future__ import annotations

import enum
import functools
from typing import Any

from markupsafe import Markup

from accelerator.core.errors import InvalidState
from accelerator.core.i18n import current_locale


class RichStrEnum(enum.StrEnum):
    """A StrEnum whose members carry their words: `PAID = "paid", _l("Paid"), "text-bg-success"`
    states a member's value, its label and its badge once (the badge may be left out).

    Labels are lazy strings, translated when shown; badges are Bootstrap `text-bg-*` classes
    whose text colour Bootstrap picks for contrast. A subclass may instead declare
    `__labels__` and `__badges__` keyed by value.
    """

    __labels__: dict[str, Any] = {}
    __badges__: dict[str, str] = {}
    #: For a status: what each value may become, and why a value refuses any other move.
    __moves__: dict[str, frozenset[str]] = {}
    __refusals__: dict[str, Any] = {}

    def __new__(cls, value: str, label: Any = None, badge: str | None = None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        member._badge = badge
        return member

    @property
    def label(self) -> str:
        return str(self.lazy_label)

    @property
    def lazy_label(self) -> Any:
        """The label translated when shown: for choices declared at import time."""
        if self._label is not None:
            return self._label
        return self.__labels__.get(self.value, self.value)

    @property
    def badge(self) -> str:
        return self._badge or self.__badges__.get(self.value, "text-bg-secondary")

    @property
    def has_badge(self) -> bool:
        """Whether the member's colour was declared (else it is drawn in secondary grey)."""
        return self._badge is not None or self.value in self.__badges__

    def can_become(self, target: str) -> bool:
        return str(target) in self.__moves__.get(self.value, frozenset())

    def check_move(self, target: str) -> None:
        """Refuse a move this status does not allow (409), saying why."""
        if not self.can_become(target):
            raise InvalidState(str(self.__refusals__[self.value]))


def badge_for(status: RichStrEnum | None, extra: str | None = None) -> Markup:
    """The one badge for a status of any kind: its label in its colour (a Jinja global).

    Kept per status, extra class and language: list pages draw one per row.
    """
    if status is None:
        return Markup("")
    return _badge(type(status), status.value, extra or "", str(current_locale()))


@functools.lru_cache(maxsize=1024)
def _badge(kind: type, value: str, extra: str, _locale: str) -> Markup:
    status = kind(value)
    classes = f"badge {status.badge} {extra}".strip()
    return Markup('<span class="{}" data-status="{}">{}</span>').format(
        classes, status.value, status.label
    )
