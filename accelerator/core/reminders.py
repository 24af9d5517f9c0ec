"""Reminder senders: `flask reminders send` runs every domain's sender (cron, any scheduler).

A domain registers one function with `@reminder_sender("name")`; it queues the reminders due at
`now` and returns how many it queued. Each sender guarantees its own once-only delivery (the
milestones domain claims a unique key per reminder in the database), so the command may run as
often as wanted, and in several processes at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

ReminderSender = Callable[[datetime], int]

_SENDERS: dict[str, ReminderSender] = {}


def reminder_sender(name: str) -> Callable[[ReminderSender], ReminderSender]:
    def decorator(func: ReminderSender) -> ReminderSender:
        _SENDERS[name] = func
        return func

    return decorator


def senders() -> list[tuple[str, ReminderSender]]:
    return sorted(_SENDERS.items())
