"""Rules that change the alumni domain's state: check, change, audit, queue mail, flush;
never commit."""

from __future__ import annotations
