"""Staff pages of the guests, through HTTP: the list (counts, filters, pagination, a fixed
number of statements), adding with errors beside fields, editing, removing, inviting,
renewing and revoking a link, and the CSV import (French headers, Windows-1252, semicolons;
bad lines reported by number; duplicates updated; a bad file imports nothing)."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from accelerator.core.errors import ValidationFailed
from accelerator.core.models import OutboxEmail
from accelerator.demoday import importing
from accelerator.demoday.models import Guest, GuestKind, Rsvp
from accelerator.extensions import db
from tests import factories
from tests.pages import unsigned


def _base(demo_day) -> str:
    return f"/demo-day/{demo_day.id}/guests"


def _count(demo_day) -> int:
    return db.session.scalar(select(func.count(Guest.id)).where(Guest.demo_day_id == demo_day.id))


def test_the_list_counts_filters_and_paginates(login_as, staff, db):
    demo_day = factories.make_demo_day(capacity=50)
    factories.make_guest(demo_day, rsvp=Rsvp.YES, plus_ones=1, name="Aline Oui")
    factories.make_guest(demo_day, rsvp=Rsvp.NO, name="Bruno Non", kind=GuestKind.PRESS)
    factories.make_guest(demo_day, rsvp=Rsvp.MAYBE, name="Chloé Peut-être", dietary="Vegan")
    factories.make_guest(demo_day, rsvp=Rsvp.WAITLISTED, name="Denis Attente")
    factories.make_guest(demo_day, rsvp=Rsvp.NOT_INVITED, name="Émile Pas Invité")
    client = login_as(staff)
    html = client.get(_base(demo_day)).get_data(as_text=True)
    assert 'data-count="invitations">4<' in html and 'data-count="yes">1<' in html
    assert "2 of 50" in html and "Vegan" in html
    only_no = client.get(_base(demo_day) + "?answer=no").get_data(as_text=True)
    assert "Bruno Non" in only_no and "Aline Oui" not in only_no
    press = client.get(_base(demo_day) + "?kind=press&answer=junk").get_data(as_text=True)
    assert "Bruno Non" in press and "Chloé" not in press
    assert client.get(_base(demo_day) + "?kind=investor&answer=yes&page=99").status_code == 200


def test_the_list_runs_a_fixed_number_of_statements(
    login_as, staff, db, count_queries, computed_figures
):
    demo_day = factories.make_demo_day()
    client = login_as(staff)
    factories.make_guest(demo_day, rsvp=Rsvp.YES)
    url = _base(demo_day)
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    for n in range(30):
        factories.make_guest(demo_day, rsvp=[Rsvp.YES, Rsvp.NO, Rsvp.WAITLISTED][n % 3])
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count


def test_the_list_is_kept_until_a_guest_or_the_demo_day_changes(
    app, login_as, staff, admin, db, count_queries, monkeypatch
):
    """Kept as rendered for every staff member asking the same (core.cache.kept): a second view
    reads nothing but its user, and a change committed in between shows on the next. The
    invitation form's CSRF token is each viewer's own, never kept."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    demo_day = factories.make_demo_day(capacity=50)
    guest, _ = factories.make_guest(demo_day, rsvp=Rsvp.NOT_INVITED, name="Aline Oui")
    db.session.commit()
    client = login_as(staff)
    first = client.get(_base(demo_day)).get_data(as_text=True)
    with count_queries() as counter:
        again = client.get(_base(demo_day)).get_data(as_text=True)
    assert (
        unsigned(again) == unsigned(first) and counter.count <= 2
    )  # the session's user, nothing of the list
    assert 'name="csrf_token"' in first and 'data-count="invitations">0<' in first
    factories.make_guest(demo_day, rsvp=Rsvp.YES, name="Société Éclair")
    db.session.commit()
    page = client.get(_base(demo_day)).get_data(as_text=True)
    assert "Société Éclair" in page and 'data-count="yes">1<' in page
    db.session.get(Guest, guest.id).name = "Aline Ouïe"
    db.session.commit()
    page = client.get(_base(demo_day)).get_data(as_text=True)
    assert "Aline Ouïe" in page and "Aline Oui<" not in page
    # Another viewer gets their own token around the same rows; a filter is its own page.
    other = login_as(admin).get(_base(demo_day)).get_data(as_text=True)
    assert "Aline Ouïe" in other and _token(other) != _token(page)
    only_yes = client.get(_base(demo_day) + "?answer=yes").get_data(as_text=True)
    assert "Société Éclair" in only_yes and "Aline Ouïe" not in only_yes
    # The list kept, its form carries the token of whoever looks: staff signed in anew invite.
    client = login_as(staff)
    with count_queries() as counter:
        page = client.get(_base(demo_day)).get_data(as_text=True)
    assert counter.count <= 2 and _token(page) != _token(other)
    done = client.post(
        _base(demo_day) + "/invite", data={"csrf_token": _token(page), "guest": str(guest.id)}
    )
    assert done.status_code == 302
    assert 'data-count="invitations">2<' in client.get(_base(demo_day)).get_data(as_text=True)
    assert client.get("/demo-day/999999/guests").status_code == 404


def _token(html: str) -> str:
    found = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert found, "no CSRF token in the invitation form"
    return found.group(1)


def test_add_a_guest_with_errors_beside_fields_then_saved(login_as, staff, db):
    demo_day = factories.make_demo_day()
    client = login_as(staff)
    assert client.get(_base(demo_day) + "/new").status_code == 200
    bad = client.post(
        _base(demo_day) + "/new", data={"name": "Société Éclair", "email": "pas-un-mail"}
    )
    assert bad.status_code == 422
    assert "Société Éclair" in bad.get_data(as_text=True) and _count(demo_day) == 0
    done = client.post(
        _base(demo_day) + "/new",
        data={
            "name": "Société Éclair",
            "email": "Contact@Eclair.fr",
            "kind": "executive",
            "locale": "fr",
        },
    )
    assert done.status_code == 302
    guest = db.session.scalar(select(Guest).where(Guest.demo_day_id == demo_day.id))
    assert (guest.email, guest.kind, guest.locale) == (
        "contact@eclair.fr",
        GuestKind.EXECUTIVE,
        "fr",
    )
    page = client.get(f"{_base(demo_day)}/{guest.id}")
    assert page.status_code == 200 and "Société Éclair" in page.get_data(as_text=True)
    edited = client.post(
        f"{_base(demo_day)}/{guest.id}",
        data={
            "name": "Société Éclair SA",
            "email": "contact@eclair.fr",
            "kind": "press",
            "locale": "en",
        },
    )
    assert edited.status_code == 302
    db.session.expire_all()
    assert guest.name == "Société Éclair SA" and guest.kind == GuestKind.PRESS


def test_a_guest_of_another_demo_day_is_not_found(login_as, staff, db):
    demo_day = factories.make_demo_day()
    other, _ = factories.make_guest(factories.make_demo_day())
    client = login_as(staff)
    assert client.get(f"{_base(demo_day)}/{other.id}").status_code == 404
    assert client.post(f"{_base(demo_day)}/{other.id}/remove").status_code == 404
    assert client.get("/demo-day/999999/guests").status_code == 404


def test_invite_chosen_or_all_renew_revoke_and_remove(login_as, staff, db):
    demo_day = factories.make_demo_day(capacity=2)
    one, _ = factories.make_guest(demo_day, rsvp=Rsvp.NOT_INVITED)
    two, _ = factories.make_guest(demo_day, rsvp=Rsvp.NOT_INVITED)
    client = login_as(staff)
    assert client.post(_base(demo_day) + "/invite").status_code == 302  # none ticked: nothing
    db.session.expire_all()
    assert one.rsvp == Rsvp.NOT_INVITED
    client.post(_base(demo_day) + "/invite", data={"guest": [str(one.id)]})
    db.session.expire_all()
    assert (one.rsvp, two.rsvp) == (Rsvp.INVITED, Rsvp.NOT_INVITED)
    client.post(_base(demo_day) + "/invite", data={"all": "1"})
    db.session.expire_all()
    assert two.rsvp == Rsvp.INVITED
    again = client.post(_base(demo_day) + "/invite", data={"all": "1"})
    assert again.status_code == 409  # nobody left to invite, said on the list
    mails = db.session.scalar(select(func.count(OutboxEmail.id)))
    old_hash = one.token_hash
    assert client.post(f"{_base(demo_day)}/{one.id}/renew").status_code == 302
    db.session.expire_all()
    assert one.token_hash != old_hash
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == mails + 1
    assert client.post(f"{_base(demo_day)}/{one.id}/revoke").status_code == 302
    db.session.expire_all()
    assert one.revoked_at is not None
    assert client.post(f"{_base(demo_day)}/{one.id}/revoke").status_code == 409
    assert client.post(f"{_base(demo_day)}/{two.id}/remove").status_code == 302
    assert _count(demo_day) == 1


CSV_FR = (
    "Nom;Courriel;Société;Type;Langue\n"
    "Hélène Côté;helene@eclair.fr;Société Éclair;Presse;Français\n"
    "Bad Line;pas-un-mail;X;investisseur;fr\n"
    "Jean Dupont;JEAN@fonds.fr;Fonds Un;investisseur;\n"
    "Jean Doublon;jean@fonds.fr;Fonds Deux;;en\n"
    ";;;;\n"
    "Sans Type;ok@fonds.fr;;astronaute;en\n"
).encode("cp1252")


def test_import_a_french_csv_reports_bad_lines_and_updates_duplicates(login_as, staff, db):
    demo_day = factories.make_demo_day()
    known, _ = factories.make_guest(demo_day, email="helene@eclair.fr", name="Old Name")
    client = login_as(staff)
    assert client.get(_base(demo_day) + "/import").status_code == 200
    page = client.post(
        _base(demo_day) + "/import",
        data={"file": (io.BytesIO(CSV_FR), "invites.csv")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-refused-line="3"' in html and 'data-refused-line="5"' in html
    assert 'data-refused-line="7"' in html and 'data-refused-line="6"' not in html
    db.session.expire_all()
    assert known.name == "Hélène Côté" and known.kind == GuestKind.PRESS and known.locale == "fr"
    assert known.rsvp == Rsvp.INVITED  # the answer and link stand
    jean = db.session.scalar(select(Guest).where(Guest.email == "jean@fonds.fr"))
    assert jean.name == "Jean Dupont" and jean.kind == GuestKind.INVESTOR
    assert _count(demo_day) == 2
    # the same file again doubles nobody
    client.post(
        _base(demo_day) + "/import",
        data={"file": (io.BytesIO(CSV_FR), "invites.csv")},
        content_type="multipart/form-data",
    )
    assert _count(demo_day) == 2


def test_a_file_that_cannot_be_read_imports_nothing(login_as, staff, db):
    demo_day = factories.make_demo_day()
    client = login_as(staff)
    for data in (
        b"name,firm\nA,B\n",
        b"",
        b"\x00\x01\x02binary",
    ):
        page = client.post(
            _base(demo_day) + "/import",
            data={"file": (io.BytesIO(data), "guests.csv")},
            content_type="multipart/form-data",
        )
        assert page.status_code == 422
    assert client.post(_base(demo_day) + "/import", data={}).status_code == 422
    assert _count(demo_day) == 0
    too_big = b"name,email\n" + b"x" * (importing.MAX_BYTES + 1)
    with pytest.raises(ValidationFailed):
        importing.import_guests(demo_day, too_big, actor=staff)


def test_english_headers_with_commas(login_as, staff, db):
    demo_day = factories.make_demo_day()
    client = login_as(staff)
    data = (
        "Email,Name,Company,Kind,Language\nann@vc.example.org,Ann Lee,VC One,sponsor executive,en\n"
    )
    page = client.post(
        _base(demo_day) + "/import",
        data={"file": (io.BytesIO(data.encode()), "guests.csv")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 302
    guest = db.session.scalar(select(Guest).where(Guest.demo_day_id == demo_day.id))
    assert (guest.name, guest.firm, guest.kind) == ("Ann Lee", "VC One", GuestKind.EXECUTIVE)


def test_the_waitlist_reads_in_its_order(login_as, staff, db):
    from datetime import timedelta

    from accelerator.core.types import utcnow

    demo_day = factories.make_demo_day()
    first, _ = factories.make_guest(demo_day, rsvp=Rsvp.WAITLISTED, name="Zoé Première")
    second, _ = factories.make_guest(demo_day, rsvp=Rsvp.WAITLISTED, name="Anne Seconde")
    first.waitlisted_at = utcnow() - timedelta(hours=2)
    db.session.flush()
    html = login_as(staff).get(_base(demo_day) + "?answer=waitlisted").get_data(as_text=True)
    assert html.index("Zoé Première") < html.index("Anne Seconde")
    page = login_as(staff).get(f"{_base(demo_day)}/{first.id}").get_data(as_text=True)
    assert "data-guest-dates" in page
