"""Demo startups, founders and Season 13's applications (seed_data/applications_season13.json).

Idempotent by startup name. Skips, saying so, when the programs seed has not created the cohort.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from accelerator.applications.models import (
    Application,
    ApplicationStatus,
    Stage,
    Startup,
    StartupMember,
)
from accelerator.applications.services import change_status
from accelerator.auth.models import Role, User
from accelerator.auth.seed import DEMO_PASSWORD
from accelerator.auth.services import find_user_by_email
from accelerator.core.files import store_bytes
from accelerator.core.text import name_key
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.jobs import services as job_services
from accelerator.jobs.models import Job
from accelerator.programs.models import Cohort, ExpertiseTag, Program

S = ApplicationStatus
#: The moves each demo application makes from draft (through TRANSITIONS, like real ones).
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: [S.SUBMITTED],
    S.IN_REVIEW: [S.SUBMITTED, S.IN_REVIEW],
    S.SHORTLISTED: [S.SUBMITTED, S.IN_REVIEW, S.SHORTLISTED],
    S.REJECTED: [S.SUBMITTED, S.IN_REVIEW, S.REJECTED],
    S.WITHDRAWN: [S.SUBMITTED, S.WITHDRAWN],
}


def demo_pdf(title: str) -> bytes:
    """A one-page PDF saying `title` (valid enough for any reader)."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 28 Tf 72 500 Td (" + text + b" - pitch deck) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def seed_founder(email: str, name: str) -> User:
    """The demo founder with this email, created with the demo password if missing."""
    user = find_user_by_email(email)
    if user is None:
        user = User(email=email, name=name, role=Role.FOUNDER)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
    return user


def seed_startup(entry: dict) -> Startup:
    """A demo startup from a seed entry (name, slug, country, sector, stage, ...)."""
    return Startup(
        name=entry["name"],
        website=f"https://{entry['slug']}.example.org",
        country=entry["country"],
        sector=entry["sector"],
        stage=Stage(entry["stage"]),
        founded_year=entry["founded_year"],
        team_size=entry["team_size"],
        description=entry["description"],
        source="seed",
    )


def seed_application(
    entry: dict, cohort: Cohort, startup: Startup, *, complete: bool = False, **more
) -> Application:
    """A demo draft application from a seed entry's answers (one-liner, problem, revenue, ...);
    `complete` fills the rest of the form as a submitted application has it."""
    application = Application(
        cohort_id=cohort.id,
        startup_id=startup.id,
        status=S.DRAFT,
        source="seed",
        currency=entry.get("currency", "EUR"),
        one_liner=entry["one_liner"],
        problem=entry["problem"],
        solution=entry["solution"],
        traction=entry["traction"],
        monthly_revenue_cents=entry["revenue"],
        active_users=entry["users"],
        funding_raised_cents=entry["funding"],
        **more,
    )
    if complete:
        application.team = f"{entry['founder']} (CEO) and a team of {entry['team_size']}."
        application.program_goals = "A paid pilot with a business unit within the season."
        application.business_unit_asks = (
            "Introductions to the enterprise and network business units."
        )
    return application


def _founder(entry: dict) -> User:
    return seed_founder(f"hello@{entry['slug']}.example.org", entry["founder"])


def _startup(entry: dict, tags: dict[str, ExpertiseTag], founder: User) -> Startup:
    startup = seed_startup(entry)
    startup.needs = [tags[n.lower()] for n in entry["needs"] if n.lower() in tags]
    db.session.add(startup)
    db.session.flush()
    db.session.add(StartupMember(startup_id=startup.id, user_id=founder.id, title="CEO"))
    return startup


def _application(entry, cohort, startup, founder, staff) -> Application:
    status = S(entry["status"])
    application = seed_application(entry, cohort, startup, complete=status != S.DRAFT)
    if status != S.DRAFT:
        deck = store_bytes(
            demo_pdf(entry["name"]),
            filename=f"{entry['slug']}-deck.pdf",
            content_type="application/pdf",
            uploaded_by=founder,
        )
        application.pitch_deck_id = deck.id
    db.session.add(application)
    db.session.flush()
    when = max(
        utcnow() - timedelta(days=entry["days_ago"], hours=3),
        cohort.applications_open_at + timedelta(hours=1),
    )
    for step, target in enumerate(PATHS[status]):
        actor = founder if target in (S.SUBMITTED, S.WITHDRAWN) else staff
        change_status(
            application,
            target,
            actor=actor,
            now=when + timedelta(hours=step * 20),
            data={"seed": True},
        )
    return application


def seed(seed_dir: Path, echo) -> int:
    spec = json.loads((seed_dir / "applications_season13.json").read_text("utf-8"))
    cohort = db.session.scalar(
        select(Cohort)
        .join(Program, Cohort.program_id == Program.id)
        .where(Program.name == spec["program"], Cohort.name == spec["cohort"])
    )
    if cohort is None:
        echo(
            f"  skipped: no cohort {spec['cohort']!r} in program {spec['program']!r} "
            "(the programs seed creates it)"
        )
        return 0
    tags = {t.name.lower(): t for t in db.session.scalars(select(ExpertiseTag))}
    staff = find_user_by_email("staff@example.org")
    created = 0
    for entry in spec["startups"]:
        exists = db.session.scalar(
            select(Startup.id).where(Startup.name_key == name_key(entry["name"]))
        )
        if exists is not None:
            continue
        founder = _founder(entry)
        startup = _startup(entry, tags, founder)
        _application(entry, cohort, startup, founder, staff)
        created += 1
    db.session.flush()
    if staff is not None:
        created += _export_job(cohort, staff)
    return created


def _export_job(cohort: Cohort, staff: User) -> int:
    """A finished export of the call's applications, run as a job, so the jobs page and a job's
    page (with its file) have something to show. Once: kept if any export job exists."""
    if db.session.scalar(select(Job.id).where(Job.kind == "applications.export").limit(1)):
        return 0
    params = {"filters": {"cohort": str(cohort.id)}, "fmt": "xlsx"}
    job = job_services.start(
        "applications.export", actor=staff, subject=f"{cohort.name}.xlsx", params=params
    )
    db.session.commit()
    job_services.execute(job.id)  # here and now: the demo needs no worker for it
    return 1
