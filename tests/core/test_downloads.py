"""Every download (decks, evidence, CSV/XLSX exports, calendars) is sandboxed and never framed."""

from __future__ import annotations

from accelerator.core.files import DOWNLOAD_CSP
from tests.access import ROLES
from tests.test_access_matrix import CASES, build_world

#: Routes that must answer with an attachment; the walk below must find each of them, so a
#: download that stops being one (or a matrix case that stops reaching it) fails here.
KNOWN_DOWNLOADS = {
    "applications.deck",
    "applications.export",
    "applications.import_sample",
    "grants.export",
    "mentoring.export",
    "sessions.session_ics",
    "milestones.evidence",
    "reports.cohort_download",
    "reports.program_download",
    "reviews.deck",
    "reviews.export",
}


def _attachments(client, login_as, world):
    """(endpoint, url, response) for every GET of the matrix that answers with an attachment."""
    for endpoint, cases in sorted(CASES.items()):
        for case in cases:
            if case.method != "GET":
                continue
            allowed = [role for role in ROLES if case.expect[role] == 200]
            if not allowed:
                continue
            role = allowed[0]
            login_as(None if role == "anonymous" else world.users[role])
            url = case.resolve_url(world)
            response = client.get(url)
            disposition = response.headers.get("Content-Disposition", "")
            if disposition.lower().startswith("attachment"):
                yield endpoint, url, response


def test_every_download_is_sandboxed_and_cannot_be_framed(client, login_as, db):
    world = build_world()
    found, wrong = set(), []
    for endpoint, url, response in _attachments(client, login_as, world):
        found.add(endpoint)
        policy = response.headers.get("Content-Security-Policy", "")
        directives = {part.strip() for part in policy.split(";")}
        if policy != DOWNLOAD_CSP or not {"sandbox", "frame-ancestors 'none'"} <= directives:
            wrong.append(f"{url}: {policy!r}")
        if response.headers.get("X-Frame-Options") != "DENY":
            wrong.append(f"{url}: X-Frame-Options {response.headers.get('X-Frame-Options')!r}")
    assert not wrong, wrong
    assert found >= KNOWN_DOWNLOADS, f"downloads not reached: {sorted(KNOWN_DOWNLOADS - found)}"
