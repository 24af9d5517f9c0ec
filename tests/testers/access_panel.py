"""Access expectations for the panel's staff pages (panel_views): the testers, a tester and
their erasure, the panel's health, and the import (upload, preview, import).

Only staff (admin too) reach them; founders, mentors and partners get 403 (their role, even for
a tester or file that does not exist); anonymous visitors are sent to sign in. The roles act in
the order of ROLES on one world: staff erase world.tester, admin then finds them erased (302,
nothing more to do); staff import the world's file, admin's import of it is refused (409, the
page of the finished import with the message).
"""

from __future__ import annotations

import io

from tests.access import LOGIN, Case, expect, staff_only

#: No such tester or file: 404 to staff, 403 to every other signed-in role.
MISSING = expect(403, anonymous=LOGIN, staff=404, admin=404)

HEADER = (
    "Email,Name,Country,Language,Age band,Device,OS,Segment,Consent date,Consent source,"
    "Consent version\n"
)


def _csv(email: str = "matrix.import@example.fr") -> bytes:
    line = f"{email},Hélène Matrice,FR,fr,25-34,phone,ios,consumer,2026-01-15,lab,2026-01\n"
    return (HEADER + line).encode()


def _upload(w) -> dict:
    return {"file": (io.BytesIO(_csv()), "matrix.csv")}


def _file(w) -> str:
    """The world's uploaded file (kept once, by staff's hand)."""
    if "panel_file" not in w.__dict__:
        from accelerator.testers import importing

        w.panel_file, _frame = importing.store(_csv(), filename="matrix.csv", actor=None)
    return f"/testers/panel/import/{w.panel_file.id}"


def _mapping(w, button: str) -> dict:
    from accelerator.testers import sheets

    columns = HEADER.strip().split(",")
    guessed = sheets.guess_mapping(columns)
    return {**{f"map_{k}": v for k, v in guessed.items()}, button: "1"}


CASES = {
    "testers.panel": [
        Case("/testers/panel", staff_only(200)),
        Case("/testers/panel?q=h%C3%A9l%C3%A8ne&os=ios&state=reachable", staff_only(200)),
        Case("/testers/panel?os=junk&state=junk&page=junk", staff_only(200), note="junk ignored"),
    ],
    "testers.panel_tester": [
        Case(lambda w: f"/testers/panel/{w.tester.id}", staff_only(200)),
        Case("/testers/panel/999999", MISSING),
    ],
    "testers.panel_erase": [
        Case(
            lambda w: f"/testers/panel/{w.tester.id}/erase",
            staff_only(302),
            method="POST",
            data={},
            note="staff erase; admin after them find the tester erased",
        ),
        Case("/testers/panel/999999/erase", MISSING, method="POST", data={}),
    ],
    "testers.panel_health": [Case("/testers/panel/health", staff_only(200))],
    "testers.panel_import": [
        Case("/testers/panel/import", staff_only(200)),
        Case("/testers/panel/import", staff_only(302), method="POST", data=_upload),
        Case("/testers/panel/import", staff_only(422), method="POST", data={}, note="no file"),
    ],
    "testers.panel_import_preview": [
        Case(_file, staff_only(200)),
        Case("/testers/panel/import/999999", MISSING),
        Case(_file, staff_only(200), method="POST", data=lambda w: _mapping(w, "check")),
        Case(
            _file,
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
            data=lambda w: _mapping(w, "run"),
            note="staff import the file; admin after them are told it was imported",
        ),
    ],
}
