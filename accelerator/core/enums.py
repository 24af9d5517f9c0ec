"""Enums that carry their own words for people: a label and a badge colour per member.

Like indico's RichEnum: a status's vocabulary lives on the status, so every page, export and
message reads the same label, and one partial (templates/_status_badge.html) draws the badge.
"""

from __future__ import annotations

import enum
from typing import Any


class RichStrEnum(enum.StrEnum):
    """A StrEnum whose subclasses declare `__labels__` and `__badges__` keyed by value.

    Labels are lazy strings, translated when shown; badges are Bootstrap `text-bg-*` classes
    whose text colour Bootstrap picks for contrast.
    """

    __labels__: dict[str, Any] = {}
    __badges__: dict[str, str] = {}

    @property
    def label(self) -> str:
        return str(self.__labels__.get(self.value, self.value))

    @property
    def lazy_label(self) -> Any:
        """The label translated when shown: for choices declared at import time."""
        return self.__labels__.get(self.value, self.value)

    @property
    def badge(self) -> str:
        return self.__badges__.get(self.value, "text-bg-secondary")
