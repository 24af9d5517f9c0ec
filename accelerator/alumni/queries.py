"""Reads of the alumni domain shared by its pages and by other domains."""

from __future__ import annotations
