"""What the reports domain keeps itself: whether a program's transparency page is published."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from accelerator.core.types import UTCDateTime, utcnow
from accelerator.extensions import db


class TransparencyPage(db.Model):
    """A program's public page on how selection works and what past cohorts became.

    Its figures are computed when read, by the same queries as the staff reports; staff write
    an introduction and publish or withdraw the page."""

    __tablename__ = "transparency_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), unique=True)
    introduction: Mapped[str] = mapped_column(Text, default="", server_default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
