"""The staff pages of pilots over HTTP: business units and their partners, the board, the list
of introductions, the exports, and what pilots adds to the staff home, cohort and startup
pages; who sees what, and bad input answered beside its field with nothing saved."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from accelerator.auth.models import Invitation, Role
from accelerator.core import types
from accelerator.core.models import OutboxEmail
from accelerator.extensions import db
from accelerator.pilots.models import (
    BusinessUnit,
    BusinessUnitPartner,
    PartnerInvitation,
)
from tests import factories
from tests.pages import unsigned

TODAY = date.today()


def _intro(pair, status="accepted", unit=None, startup=None):
    return factories.make_introduction(
        unit=unit or pair.unit, startup=startup or pair.startup, cohort=pair.cohort, status=status
    )


def _pilot(pair, status="running", unit=None, owner=None, startup=None, **changes):
    unit = unit or pair.unit
    return factories.make_pilot(
        status=status,
        introduction=_intro(pair, unit=unit, startup=startup),
        actor=pair.staff,
        owner=owner or (pair.partner if unit is pair.unit else None),
        **changes,
    )


def _overdue(pair, **kwargs):
    """A running pilot whose decision date passed five days ago."""
    return _pilot(
        pair,
        starts_on=TODAY - timedelta(days=60),
        ends_on=TODAY - timedelta(days=10),
        decision_on=TODAY - timedelta(days=5),
        title="Overdue fraud alerts",
        **kwargs,
    )


def _other_unit(pair, name="Orange Wholesale"):
    unit = factories.make_unit(cohort=pair.cohort, name=name)
    partner = factories.make_partner(unit, name="Olga Other")
    return unit, partner


def _unit_form(**changes) -> dict:
    data = {
        "name": "Orange Cyberdefense",
        "country": "FR",
        "sponsor_name": "Hélène Sponsor",
        "sponsor_title": "CEO",
        "description": "Security services for enterprises.",
        "staff_lead": "",
    }
    data.update(changes)
    return data


def _error_beside(html: str, field: str, message: str) -> bool:
    """The message stands in the field's feedback (Bootstrap-Flask's invalid-feedback)."""
    found = re.search(
        rf'id="{field}"[^>]*>.*?<div class="invalid-feedback[^"]*"[^>]*>\s*([^<]+)', html, re.S
    )
    return bool(found) and message in found.group(1)


def _units_named(name_key_value: str) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(BusinessUnit)
        .where(BusinessUnit.name_key == name_key_value)
    )


# --- Business units ----------------------------------------------------------------------------


def test_the_units_list_has_an_empty_state(db, login_as, staff):
    page = login_as(staff).get("/pilots/units")
    assert page.status_code == 200
    assert "No business units yet" in page.text
    assert 'href="/pilots/units/new"' in page.text


def test_the_units_list_counts_partners_introductions_and_pilots(db, login_as, pair):
    _intro(pair, status="requested")
    _pilot(pair, status="running")
    _overdue(pair)
    _pilot(pair, status="closed")
    page = login_as(pair.staff).get("/pilots/units")
    assert page.status_code == 200
    row = re.search(rf'<tr data-unit="{pair.unit.id}">(.*?)</tr>', page.text, re.S).group(1)
    numbers = re.findall(r'class="text-sm-end"[^>]*>(?:<a[^>]*>)?(\d+)', row)
    # partners, open introductions, running pilots, overdue
    assert numbers == ["2", "1", "2", "1"]
    assert "Orange Bank" in row and "Claire Sponsor" in row


def test_a_new_unit_is_added_to_the_only_program_and_shown(db, login_as, pair):
    client = login_as(pair.staff)
    form = client.get("/pilots/units/new")
    assert form.status_code == 200 and 'name="sponsor_name"' in form.text
    assert "Sam Staff" in form.text  # staff lead choices: active staff
    response = client.post(
        "/pilots/units/new", data=_unit_form(name="Société Éclair", staff_lead=str(pair.staff.id))
    )
    assert response.status_code == 302
    unit = db.session.scalar(select(BusinessUnit).where(BusinessUnit.name == "Société Éclair"))
    assert unit.program_id == pair.cohort.program_id and unit.staff_lead_id == pair.staff.id
    assert response.headers["Location"].endswith(f"/pilots/units/{unit.id}")
    page = client.get(f"/pilots/units/{unit.id}")
    assert "Société Éclair" in page.text and "Hélène Sponsor" in page.text
    assert "Sam Staff" in page.text and "France" in page.text


def test_with_several_programs_staff_choose_the_program_first(db, login_as, pair):
    other = factories.make_program(name="Orange Fab Silicon Valley")
    client = login_as(pair.staff)
    page = client.get("/pilots/units/new")
    assert page.status_code == 200
    assert f"/pilots/units/new?program={other.id}" in page.text
    assert 'name="sponsor_name"' not in page.text
    response = client.post(f"/pilots/units/new?program={other.id}", data=_unit_form())
    assert response.status_code == 302
    unit = db.session.scalar(select(BusinessUnit).where(BusinessUnit.name == "Orange Cyberdefense"))
    assert unit.program_id == other.id
    assert client.get("/pilots/units/new?program=999999").status_code == 404


def test_a_duplicate_name_in_other_case_is_refused_beside_the_field(db, login_as, pair):
    client = login_as(pair.staff)
    assert client.post("/pilots/units/new", data=_unit_form(name="Société Éclair")).status_code == (
        302
    )
    response = client.post(
        "/pilots/units/new", data=_unit_form(name="SOCIÉTÉ ÉCLAIR", sponsor_name="Typed Name")
    )
    assert response.status_code == 409
    assert _error_beside(response.text, "name", "This program already has a unit of that name.")
    assert 'value="Typed Name"' in response.text  # what was typed is kept
    assert _units_named("société éclair") == 1


def test_an_empty_unit_form_answers_422_with_each_message_beside_its_field(db, login_as, pair):
    before = db.session.scalar(select(func.count()).select_from(BusinessUnit))
    response = login_as(pair.staff).post(
        "/pilots/units/new", data=_unit_form(name="", country="", sponsor_name="")
    )
    assert response.status_code == 422
    assert _error_beside(response.text, "name", "Give the unit a name.")
    assert _error_beside(response.text, "sponsor_name", "Name the unit's sponsor executive.")
    assert _error_beside(response.text, "country", "Choose a country.")
    assert db.session.scalar(select(func.count()).select_from(BusinessUnit)) == before


def test_a_unit_is_edited_and_a_rename_onto_another_unit_is_refused(db, login_as, pair):
    other, _partner = _other_unit(pair, name="Société Éclair")
    client = login_as(pair.staff)
    form = client.get(f"/pilots/units/{pair.unit.id}/edit")
    assert form.status_code == 200 and 'value="Orange Bank"' in form.text
    response = client.post(
        f"/pilots/units/{pair.unit.id}/edit",
        data=_unit_form(name="Orange Bank", sponsor_name="Nouvelle Directrice"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(BusinessUnit, pair.unit.id).sponsor_name == "Nouvelle Directrice"
    refused = client.post(
        f"/pilots/units/{pair.unit.id}/edit", data=_unit_form(name="société éclair")
    )
    assert refused.status_code == 409
    assert _error_beside(refused.text, "name", "This program already has a unit of that name.")
    db.session.expire_all()
    assert db.session.get(BusinessUnit, pair.unit.id).name == "Orange Bank"


def test_staff_see_the_unit_page_with_its_acts(db, login_as, pair):
    _intro(pair, status="requested")
    closed = _pilot(pair, status="closed")
    running = _pilot(pair, status="running")
    overdue = _overdue(pair)
    page = login_as(pair.staff).get(f"/pilots/units/{pair.unit.id}")
    assert page.status_code == 200
    html = page.text
    assert "Paula Partner" in html and "Pierre Partner" in html
    assert f"/pilots/units/{pair.unit.id}/partners/{pair.partner.id}/remove" in html
    assert 'id="invite-form"' in html and f"/pilots/units/{pair.unit.id}/edit" in html
    assert f"/pilots/{running.id}" in html and "Awaiting staff" in html
    section = re.search(
        r'<section class="alert alert-danger unit-overdue".*?</section>', html, re.S
    )
    assert section and f"/pilots/{overdue.id}" in section.group(0)
    assert f"/pilots/{running.id}" not in section.group(0)
    # pilots under way first, the most urgent first; the finished ones after
    listed = [int(i) for i in re.findall(r'<tr data-pilot="(\d+)"', html)]
    assert listed == [overdue.id, running.id, closed.id]


def test_a_partner_reads_their_unit_page_without_the_staff_acts(db, login_as, pair):
    _overdue(pair)
    page = login_as(pair.partner).get(f"/pilots/units/{pair.unit.id}")
    assert page.status_code == 200
    html = page.text
    assert "Orange Bank" in html and "Overdue for decision" in html
    assert "/remove" not in html and 'id="invite-form"' not in html
    assert "/edit" not in html and "/pilots/board" not in html


@pytest.mark.parametrize("who", ["other_partner", "founder", "mentor", "anonymous"])
def test_others_do_not_see_a_unit_page(db, login_as, pair, who):
    _unit, other_partner = _other_unit(pair)
    user = {
        "other_partner": other_partner,
        "founder": pair.founder,
        "mentor": pair.mentor,
        "anonymous": None,
    }[who]
    response = login_as(user).get(f"/pilots/units/{pair.unit.id}")
    assert response.status_code == {"other_partner": 404, "anonymous": 302}.get(who, 403)


def test_inviting_a_partner_links_the_invitation_to_the_unit(db, login_as, pair):
    client = login_as(pair.staff)
    response = client.post(
        f"/pilots/units/{pair.unit.id}/partners",
        data={"email": "Zoé.Partner@Orange.example", "name": "Zoé Partner"},
    )
    assert response.status_code == 302
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.email == "zoé.partner@orange.example")
    )
    assert invitation is not None and invitation.role == Role.PARTNER
    link = db.session.get(PartnerInvitation, invitation.id)
    assert link.business_unit_id == pair.unit.id
    assert db.session.scalar(
        select(OutboxEmail.id).where(OutboxEmail.to == "zoé.partner@orange.example")
    )
    page = client.get(f"/pilots/units/{pair.unit.id}")
    assert "Invited, not yet joined" in page.text and "Zoé Partner" in page.text


def test_a_bad_invitation_is_answered_beside_the_email(db, login_as, pair):
    client = login_as(pair.staff)
    before = db.session.scalar(select(func.count()).select_from(Invitation))
    bad = client.post(f"/pilots/units/{pair.unit.id}/partners", data={"email": "not an email"})
    assert bad.status_code == 422
    assert 'id="invite-form"' in bad.text and 'value="not an email"' in bad.text
    assert re.search(r'id="email"[^>]*>\s*<div class="invalid-feedback', bad.text)
    taken = client.post(
        f"/pilots/units/{pair.unit.id}/partners", data={"email": pair.founder.email}
    )
    assert taken.status_code == 409
    assert _error_beside(taken.text, "email", "Someone already has an account with this email.")
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == before


def test_removing_a_partner_takes_them_out_of_the_unit(db, login_as, pair):
    client = login_as(pair.staff)
    url = f"/pilots/units/{pair.unit.id}/partners/{pair.other_partner.id}/remove"
    assert client.post(url).status_code == 302
    assert db.session.get(BusinessUnitPartner, pair.other_partner.id) is None
    page = client.get(f"/pilots/units/{pair.unit.id}")
    assert f'data-partner="{pair.other_partner.id}"' not in page.text
    assert f'data-partner="{pair.partner.id}"' in page.text
    again = client.post(url)
    assert again.status_code == 409
    assert "Pierre Partner is not a partner of this unit." in again.text
    assert client.post(f"/pilots/units/{pair.unit.id}/partners/999999/remove").status_code == 404


def test_partners_cannot_invite_or_remove(db, login_as, pair):
    client = login_as(pair.partner)
    base = f"/pilots/units/{pair.unit.id}"
    assert client.post(f"{base}/partners", data={"email": "x@example.org"}).status_code == 403
    assert client.post(f"{base}/partners/{pair.other_partner.id}/remove").status_code == 403
    assert db.session.get(BusinessUnitPartner, pair.other_partner.id) is not None


# --- The board -------------------------------------------------------------------------------


def _column(html: str, status: str) -> str:
    found = re.search(
        rf'<section class="col board-column" data-status="{status}".*?</section>', html, re.S
    )
    assert found, f"no {status} column"
    return found.group(0)


def test_the_board_has_a_column_per_state_with_cards(db, login_as, pair):
    pilots = {status: _pilot(pair, status=status) for status in ("scoping", "decided", "stopped")}
    overdue = _overdue(pair)
    page = login_as(pair.staff).get("/pilots/board")
    assert page.status_code == 200
    html = page.text
    for status in ("scoping", "running", "decided", "closed", "stopped"):
        _column(html, status)
    running = _column(html, "running")
    assert f'data-pilot="{overdue.id}"' in running and "Overdue for decision" in running
    assert "Société Éclair" in running and "Paula Partner" in running and "Orange Bank" in running
    decided = _column(html, "decided")
    assert f'data-pilot="{pilots["decided"].id}"' in decided and ">Go<" in decided
    assert "None" in _column(html, "closed")
    assert "row-cols-1" in html  # the columns stack on a phone


def test_the_board_filters_by_cohort_unit_owner_and_overdue(db, login_as, pair):
    other_unit, olga = _other_unit(pair)
    mine = _pilot(pair, status="running")
    theirs = _pilot(pair, status="running", unit=other_unit, owner=olga)
    late = _overdue(pair)
    other_cohort_pilot = factories.make_pilot(status="scoping")
    client = login_as(pair.staff)

    def shown(query):
        return set(
            map(int, re.findall(r'data-pilot="(\d+)"', client.get(f"/pilots/board?{query}").text))
        )

    assert shown(f"cohort={pair.cohort.id}") == {mine.id, theirs.id, late.id}
    assert other_cohort_pilot.id in shown("")
    assert shown(f"unit={other_unit.id}") == {theirs.id}
    assert shown(f"owner={olga.id}") == {theirs.id}
    assert shown("overdue=1") == {late.id}
    assert shown("cohort=abc&unit=-1&owner=x&overdue=yes&status=bogus") >= {mine.id, theirs.id}


def test_a_full_column_stops_at_its_cap_and_links_to_the_list(db, login_as, pair, monkeypatch):
    from accelerator.pilots import board

    monkeypatch.setattr(board, "BOARD_COLUMN_CAP", 2)
    made = [_pilot(pair, status="scoping") for _ in range(3)]
    client = login_as(pair.staff)
    column = _column(client.get("/pilots/board").text, "scoping")
    assert len(re.findall(r'data-pilot="', column)) == 2
    assert "and 1 more" in column and "status=scoping" in column
    listed = client.get("/pilots/board?status=scoping")
    assert listed.status_code == 200
    assert {int(i) for i in re.findall(r'<tr data-pilot="(\d+)"', listed.text)} == {
        p.id for p in made
    }
    assert "table-responsive" in listed.text


def test_the_board_is_kept_for_the_day_until_a_pilot_or_its_names_change(
    db, login_as, pair, admin, count_queries, monkeypatch
):
    """Kept as rendered for every staff member asking the same on the same day
    (core.cache.kept_body): a second view reads nothing but its user; a change committed in
    between, or a new day that makes a pilot overdue, shows on the next."""
    soon = _pilot(pair, status="running", decision_on=TODAY + timedelta(days=1), title="Soon")
    db.session.commit()
    client = login_as(pair.staff)
    first = client.get("/pilots/board").text
    with count_queries() as counter:
        again = client.get("/pilots/board").text
    assert unsigned(again) == unsigned(first)
    assert counter.count <= 2  # the session's user, nothing of the board
    assert "Overdue for decision" not in first
    # Three days on, nothing written: the pilot is overdue on the board (each program's
    # today, core.timeutil.local_today, reads the clock of core.types).
    later_now = datetime.now(UTC) + timedelta(days=3)
    monkeypatch.setattr(types, "utcnow", lambda: later_now)
    later = client.get("/pilots/board").text
    monkeypatch.undo()
    assert "Overdue for decision" in _column(later, "running")
    # A new pilot of a new startup, a renamed unit: each shows on the next view.
    kestrel = factories.make_startup(name="Kestrel Sécurité")
    factories.make_enrollment(startup=kestrel, cohort=pair.cohort)
    _pilot(pair, status="scoping", startup=kestrel)
    db.session.commit()
    assert "Kestrel Sécurité" in _column(client.get("/pilots/board").text, "scoping")
    db.session.get(BusinessUnit, pair.unit.id).name = "Orange Banque Privée"
    db.session.commit()
    html = client.get("/pilots/board").text
    assert "Orange Banque Privée" in html and "Orange Bank<" not in html
    # A filtered board is its own page, and an admin sees the same cards.
    assert f'data-pilot="{soon.id}"' not in client.get("/pilots/board?status=scoping").text
    assert "Kestrel Sécurité" in login_as(admin).get("/pilots/board").text


def test_the_board_reads_the_same_statements_at_any_size(
    db, login_as, pair, count_queries, computed_figures
):
    client = login_as(pair.staff)
    _pilot(pair, status="running")
    client.get("/pilots/board")  # warm the per-process caches
    with count_queries() as small:
        assert client.get("/pilots/board").status_code == 200
    other_unit, olga = _other_unit(pair)
    for n in range(12):
        startup = factories.make_startup(name=f"Startup {n}")
        factories.make_enrollment(startup=startup, cohort=pair.cohort)
        _pilot(
            pair,
            status=("scoping", "running", "decided")[n % 3],
            unit=other_unit,
            owner=olga,
            startup=startup,
        )
    _overdue(pair)
    with count_queries() as big:
        assert client.get("/pilots/board").status_code == 200
    assert big.count == small.count


def test_the_other_staff_pages_read_the_same_statements_at_any_size(
    db, login_as, pair, count_queries, full_page_counts, computed_figures
):
    client = login_as(pair.staff)
    paths = [
        "/pilots/units",
        f"/pilots/units/{pair.unit.id}",
        "/pilots/introductions",
        "/pilots/board?status=running",
        "/",
        f"/reports/startups/{pair.startup.id}",
    ]
    _intro(pair, status="requested", unit=factories.make_unit(cohort=pair.cohort))
    _overdue(pair)
    for path in paths:
        client.get(path)  # warm the per-process caches

    def counts():
        found = {}
        for path in paths:
            with count_queries() as counter:
                assert client.get(path).status_code == 200, path
            found[path] = counter.count
        return found

    small = counts()
    for n in range(8):
        unit = factories.make_unit(cohort=pair.cohort, name=f"Unit {n}")
        factories.make_partner(unit)
        _intro(pair, status="requested", unit=unit)
        _pilot(pair, status="running", unit=unit)
        _overdue(pair)
    assert counts() == small


@pytest.mark.parametrize("path", ["/pilots/board", "/pilots/introductions", "/pilots/units"])
def test_the_staff_lists_are_staff_only(db, login_as, pair, path):
    for user in (pair.founder, pair.mentor, pair.partner):
        assert login_as(user).get(path).status_code == 403
    assert login_as(None).get(path).status_code == 302


# --- Introductions ---------------------------------------------------------------------------


def test_introductions_list_awaiting_staff_first_and_filters(db, login_as, pair):
    other_unit, _olga = _other_unit(pair)
    accepted = _intro(pair, status="accepted")
    requested = _intro(pair, status="requested", unit=other_unit)
    forwarded = _intro(pair, status="forwarded")
    client = login_as(pair.staff)
    page = client.get("/pilots/introductions")
    assert page.status_code == 200
    ids = [int(i) for i in re.findall(r'<tr data-introduction="(\d+)"', page.text)]
    assert ids == [requested.id, forwarded.id, accepted.id]
    assert f'href="/pilots/introductions/{requested.id}"' in page.text

    def listed(query):
        html = client.get(f"/pilots/introductions?{query}").text
        return [int(i) for i in re.findall(r'<tr data-introduction="(\d+)"', html)]

    assert listed("status=accepted") == [accepted.id]
    assert listed(f"unit={other_unit.id}") == [requested.id]
    assert listed(f"cohort={pair.cohort.id}&status=forwarded") == [forwarded.id]
    assert listed("status=nonsense&page=-2") == [requested.id, forwarded.id, accepted.id]


def test_introductions_list_is_paginated(db, login_as, pair, app, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    for _n in range(3):
        _intro(pair, status="declined", unit=factories.make_unit(cohort=pair.cohort))
    client = login_as(pair.staff)
    first = client.get("/pilots/introductions")
    assert len(re.findall(r"<tr data-introduction", first.text)) == 2
    assert "Page 1 of 2" in first.text
    assert (
        len(re.findall(r"<tr data-introduction", client.get("/pilots/introductions?page=2").text))
        == 1
    )


def test_an_empty_introductions_list_says_so(db, login_as, staff):
    assert "No introductions here" in login_as(staff).get("/pilots/introductions").text


# --- Exports ---------------------------------------------------------------------------------


def _csv(client, query: str) -> list[dict]:
    response = client.get(f"/pilots/export?{query}")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_the_pilots_export_has_its_columns_and_scope(db, login_as, pair):
    other_unit, olga = _other_unit(pair)
    decided = _pilot(pair, status="decided")
    _pilot(pair, status="scoping", unit=other_unit, owner=olga)
    client = login_as(pair.staff)
    rows = _csv(client, "what=pilots&format=csv")
    assert len(rows) == 2
    row = next(r for r in rows if r["Pilot"] == str(decided.id))
    assert row["Startup"] == "Société Éclair" and row["Business unit"] == "Orange Bank"
    assert row["Cohort"] == pair.cohort.name and row["Status"] == "Decided"
    assert row["Owner"] == "Paula Partner" and row["Decision"] == "Go"
    assert row["Budget"] == "25000.00" and row["Currency"] == "EUR"
    assert row["Contract value"] == "120000.00" and row["Success criteria"] == "3"
    assert row["Decision date"] == decided.decision_on.isoformat()
    assert [r["Pilot"] for r in _csv(client, f"what=pilots&format=csv&unit={pair.unit.id}")] == [
        str(decided.id)
    ]
    assert _csv(client, f"format=csv&cohort={pair.cohort.id}&unit={other_unit.id}")[0]["Owner"] == (
        "Olga Other"
    )


def test_the_introductions_export_in_xlsx(db, login_as, pair):
    intro = _intro(pair, status="requested")
    response = login_as(pair.staff).get("/pilots/export?what=introductions&format=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == ["Introduction", "Startup", "Business unit", "Cohort", "Status"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Introduction"] == intro.id and row["Status"] == "Awaiting staff"
    assert row["Asked by"] == "the startup" and row["Reason"] == intro.reason
    # Each download is kept, and reads as a sentence in the audit log.
    from accelerator.core.history import entries
    from accelerator.core.models import AuditEvent

    (event,) = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "pilots.exported")
        .options(selectinload(AuditEvent.actor))
    ).all()
    assert event.actor_id == pair.staff.id and event.data["rows"] == 1
    assert "downloaded the list of introductions (1 rows)" in entries([event])[0].sentence


def test_exports_refuse_junk_and_non_staff(db, login_as, pair):
    client = login_as(pair.staff)
    assert client.get("/pilots/export?what=grants&format=csv").status_code == 422
    assert client.get("/pilots/export?what=pilots&format=pdf").status_code == 422
    for user in (pair.founder, pair.partner, pair.mentor):
        assert login_as(user).get("/pilots/export?what=pilots&format=csv").status_code == 403


# --- What pilots adds to others' pages ---------------------------------------------------------


def test_the_staff_home_card_names_what_waits(db, login_as, pair):
    client = login_as(pair.staff)
    assert "pilots-home-card" not in client.get("/").text
    intro = _intro(pair, status="requested")
    overdue = _overdue(pair)
    html = client.get("/").text
    assert "1 introduction awaiting staff" in html
    assert f"/pilots/introductions/{intro.id}" in html
    assert "1 pilot overdue for decision" in html and f"/pilots/{overdue.id}" in html


def test_the_cohort_page_shows_its_pilots_by_state_and_the_overdue(db, login_as, pair):
    _pilot(pair, status="scoping")
    overdue = _overdue(pair)
    html = login_as(pair.staff).get(f"/cohorts/{pair.cohort.id}").text
    assert "pilots-cohort-panel" in html
    assert "Scoping: 1" in html and "Running: 1" in html
    assert f"/pilots/{overdue.id}" in html and "Overdue for decision" in html
    assert f"/pilots/board?cohort={pair.cohort.id}" in html


def test_a_cohort_without_business_units_has_no_pilots_section(db, login_as, staff):
    cohort = factories.make_cohort()
    assert "pilots-cohort-panel" not in login_as(staff).get(f"/cohorts/{cohort.id}").text


def test_the_startup_page_shows_its_introductions_and_pilots(db, app, login_as, pair):
    intro = _intro(pair, status="forwarded")
    overdue = _overdue(pair)
    html = login_as(pair.staff).get(f"/reports/startups/{pair.startup.id}").text
    assert "pilots-startup-section" in html
    assert f"/pilots/introductions/{intro.id}" in html and "Forwarded" in html
    assert f"/pilots/{overdue.id}" in html and "Overdue for decision" in html
    # staff ask on the startup's behalf (once the introduction pages have that route)
    asking = "pilots.ask_introduction" in app.view_functions
    assert (f"/pilots/startups/{pair.startup.id}/introductions/new" in html) == asking


def test_the_navigation_leads_staff_to_the_board(db, login_as, pair):
    assert 'href="/pilots/board"' in login_as(pair.staff).get("/").text
    assert 'href="/pilots/board"' not in login_as(pair.founder).get("/").text
    partner_nav = login_as(pair.partner).get(f"/pilots/units/{pair.unit.id}").text
    assert re.search(r'<a class="nav-link" href="/">Pilots</a>', partner_nav)
