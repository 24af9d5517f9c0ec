"""What reports change: a program's transparency page (its introduction, published or not)."""

from __future__ import annotations
