"""Reads of the demoday domain shared by its pages and by other domains."""

from __future__ import annotations
