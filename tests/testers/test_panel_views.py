"""The panel's staff pages: the testers (search, filters, pages), a tester (attributes,
consent, invitations and answers, erasure) and the panel's health; staff only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accelerator.core.models import AuditEvent
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.testers import models as m
from accelerator.testers import queries, services
from tests import factories


def _running(lab, testers, **changes):
    campaign = factories.make_campaign(
        startup=lab.startup, status="approved", actor=lab.staff, quotas=[], **changes
    )
    services.send_wave(campaign, actor=lab.staff)
    invitations = db.session.scalars(
        select(m.CampaignInvitation).where(m.CampaignInvitation.campaign_id == campaign.id)
    ).all()
    assert {i.tester_id for i in invitations} <= {t.id for t in testers}
    return campaign, {i.tester_id: i for i in invitations}


@pytest.mark.parametrize(
    "role,status",
    [
        ("founder", 403),
        ("mentor", 403),
        ("partner", 403),
        ("staff", 200),
        ("admin", 200),
    ],
)
@pytest.mark.parametrize("page", ["/testers/panel", "/testers/panel/health", "{tester}"])
def test_the_panel_pages_are_for_staff_only(login_as, db, role, status, page):
    tester = factories.make_tester(name="Hélène Dupré")
    url = page.format(tester=f"/testers/panel/{tester.id}")
    response = login_as(factories.make_user(role=role)).get(url)
    assert response.status_code == status
    if status == 200:
        assert "Hélène Dupré" in response.get_data(as_text=True) or "health" in url


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get("/testers/panel").status_code == 302


def test_the_panel_is_searched_by_name_or_email_and_filtered(login_as, staff):
    helene = factories.make_tester(name="Hélène Dupré", email="helene@example.fr", os="ios")
    factories.make_tester(name="John Smith", email="john@example.com", os="android", country="US")
    left = factories.make_tester(name="Paul Parti", email="paul@example.fr", os="ios")
    left.opted_out_at = utcnow()
    db.session.flush()
    client = login_as(staff)

    def names(query: str) -> set[str]:
        page = client.get(f"/testers/panel?{query}").get_data(as_text=True)
        return {n for n in ("Hélène Dupré", "John Smith", "Paul Parti") if n in page}

    assert names("") == {"Hélène Dupré", "John Smith", "Paul Parti"}
    assert names("q=h%C3%A9l%C3%A8ne") == {"Hélène Dupré"}
    assert names("q=JOHN%40example") == {"John Smith"}
    assert names("os=ios") == {"Hélène Dupré", "Paul Parti"}
    assert names("os=ios&state=reachable") == {"Hélène Dupré"}
    assert names("country=us") == {"John Smith"}
    assert names("state=opted_out") == {"Paul Parti"}
    assert names("os=fridge&state=junk") == {"Hélène Dupré", "John Smith", "Paul Parti"}
    page = client.get("/testers/panel?q=nobody").get_data(as_text=True)
    assert "No tester matches these filters." in page
    row = client.get("/testers/panel").get_data(as_text=True)
    assert f'data-tester="{helene.id}"' in row and 'data-state="opted_out"' in row


def test_the_panel_is_paged_in_a_fixed_number_of_statements(login_as, staff, app, count_queries):
    for n in range(30):
        factories.make_tester(name=f"Testeur {n}")
    client = login_as(staff)
    with count_queries() as first:
        page = client.get("/testers/panel").get_data(as_text=True)
    assert "Page 1 of 2" in page and "30 in all" in page
    assert "Testeur 29" in page and "Testeur 0<" not in page
    assert "Testeur 0<" in client.get("/testers/panel?page=2").get_data(as_text=True)
    for n in range(30, 60):
        factories.make_tester(name=f"Testeur {n}")
    with count_queries() as second:
        client.get("/testers/panel")
    assert second.count == first.count


def test_a_testers_page_shows_consent_invitations_and_answers(login_as, lab):
    tester = factories.make_tester(name="Hélène Dupré", consent_version="2025-09")
    campaign, invitations = _running(lab, [tester], responses_wanted=1)
    services.submit_response(invitations[tester.id], sus=[4] * 10, nps=9, answers=["Card"])
    db.session.flush()
    page = login_as(lab.staff).get(f"/testers/panel/{tester.id}").get_data(as_text=True)
    assert "Hélène Dupré" in page and tester.email in page
    assert "2025-09" in page and "lab&#39;Explorers sign-up" in page
    assert campaign.title in page and 'data-answered="yes"' in page
    assert "Erase this tester" in page and "data-confirm" in page


def test_erasing_a_tester_anonymises_them_and_keeps_their_answer_counted(login_as, lab):
    tester = factories.make_tester(name="Hélène Dupré", email="helene.dupre@example.fr")
    campaign, invitations = _running(lab, [tester], responses_wanted=1)
    services.submit_response(invitations[tester.id], sus=[4] * 10, nps=9, answers=["Card"])
    db.session.flush()
    client = login_as(lab.staff)

    response = client.post(f"/testers/panel/{tester.id}/erase")
    assert response.status_code == 302
    assert response.location == f"/testers/panel/{tester.id}"
    page = client.get(response.location).get_data(as_text=True)
    assert "The tester&#39;s data was erased" in page
    assert "Hélène Dupré" not in page and "helene.dupre@example.fr" not in page
    assert 'data-state="erased"' in page and "Erase this tester" not in page
    db.session.refresh(tester)
    assert tester.name == "" and tester.email == f"erased-{tester.id}@invalid"
    assert tester.erased_at is not None
    assert queries.response_counts(campaign).total == 1  # their answer still counts
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "tester.erased"))
    assert event.actor_id == lab.staff.id and event.data["via"] == "staff"
    assert "helene" not in str(event.data)  # a digest of the address, never the address

    again = client.post(f"/testers/panel/{tester.id}/erase")
    assert again.status_code == 302
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "tester.erased")
        )
        == 1
    )


def test_a_founder_cannot_erase_a_tester(login_as, lab):
    tester = factories.make_tester(name="Hélène Dupré")
    assert login_as(lab.founder).post(f"/testers/panel/{tester.id}/erase").status_code == 403
    db.session.refresh(tester)
    assert tester.erased_at is None and tester.name == "Hélène Dupré"


def test_the_panel_health_counts_in_a_fixed_number_of_statements(login_as, lab, app, count_queries):
    testers = [factories.make_tester(os="ios") for _ in range(4)]
    left = factories.make_tester()
    left.opted_out_at = utcnow()
    factories.make_tester(last_invited_at=utcnow() - timedelta(days=60))
    campaign, invitations = _running(lab, testers, responses_wanted=1)
    invited = len(invitations)
    first = next(iter(invitations.values()))
    services.submit_response(first, sus=[4] * 10, nps=9, answers=["Card"])
    db.session.flush()
    client = login_as(lab.staff)
    with count_queries() as counted:
        page = client.get("/testers/panel/health").get_data(as_text=True)
    assert 'data-figure="reachable">5<' in page  # 4 + the one contacted 60 days ago
    assert 'data-figure="opted_out">1<' in page
    assert f'data-figure="contacted">{invited}<' in page
    assert campaign.title in page
    now = utcnow()
    assert f"{now.year} Q{(now.month - 1) // 3 + 1}" in page
    assert f"{round(100 / invited)} %" in page

    for _ in range(3):
        factories.make_tester()
    _running(lab, [*testers, *db.session.scalars(select(m.Tester)).all()], responses_wanted=1)
    with count_queries() as more:
        client.get("/testers/panel/health")
    assert more.count == counted.count
