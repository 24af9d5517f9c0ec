"""The jobs card on staff's home: what is running and what failed, when anything is."""

from __future__ import annotations

from accelerator.jobs import queries


def staff_home_panel(user) -> dict | None:
    counts = queries.counts()
    if not counts["running"] and not counts["failed"]:
        return None
    return {"counts": counts}
