"""The matches of a cohort as a spreadsheet (CSV or XLSX), safe to open."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from accelerator.core.spreadsheets import csv_bytes, xlsx_bytes
from accelerator.extensions import db
from accelerator.mentoring.models import Match, MentorProfile
from accelerator.programs.models import Cohort

COLUMNS = [
    "Match",
    "Cohort",
    "Startup",
    "Mentor",
    "Mentor email",
    "Organisation",
    "Status",
    "Score",
    "Shared needs",
    "Shared industries",
    "Shared languages",
    "Preference rank",
    "Added by hand",
    "Created on",
    "Confirmed on",
    "Answered on",
    "Decline reason",
]


def _day(value):
    return value.date() if value is not None else None


def match_frame(cohort: Cohort) -> pd.DataFrame:
    rows = db.session.scalars(
        select(Match)
        .where(Match.cohort_id == cohort.id)
        .options(joinedload(Match.startup), joinedload(Match.mentor))
        .order_by(Match.id)
    ).all()
    organisations = dict(
        db.session.execute(
            select(MentorProfile.user_id, MentorProfile.organisation).where(
                MentorProfile.user_id.in_({m.mentor_id for m in rows})
            )
        ).all()
    )
    records = []
    for m in rows:
        why = m.explanation or {}
        records.append(
            [
                m.id,
                cohort.name,
                m.startup.name,
                m.mentor.name,
                m.mentor.email,
                organisations.get(m.mentor_id, ""),
                m.status.value,
                round(m.score, 2),
                ", ".join(why.get("tags", [])),
                ", ".join(why.get("industries", [])),
                ", ".join(why.get("languages", [])),
                why.get("preference"),
                "yes" if m.created_by_id else "no",
                _day(m.created_at),
                _day(m.confirmed_at),
                _day(m.responded_at),
                m.decline_reason or "",
            ]
        )
    return pd.DataFrame(records, columns=COLUMNS)


def to_csv(frame: pd.DataFrame) -> bytes:
    return csv_bytes(frame)


def to_xlsx(frame: pd.DataFrame) -> bytes:
    return xlsx_bytes({"Matches": frame})
