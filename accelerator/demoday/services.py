"""Rules that change the demoday domain's state: check, change, audit, queue mail, flush;
never commit."""

from __future__ import annotations
