"""HTTP: the matching page and its actions, profiles, the directory, answers, panels, export."""

from __future__ import annotations

import io
import re

import openpyxl
from sqlalchemy import select

from accelerator.extensions import db
from accelerator.mentoring import forms, services
from accelerator.mentoring.models import Match, MatchStatus, MentorConflict, MentorPreference
from accelerator.mentoring.queries import profile_of
from tests import factories
from tests.pages import unsigned


def _matching(setting):
    return f"/mentoring/cohorts/{setting.cohort.id}/matching"


def test_staff_run_read_and_confirm(setting, staff, login_as):
    client = login_as(staff)
    page = client.get(_matching(setting))
    assert page.status_code == 200 and "How fit is scored" in page.text
    assert "No mentor yet." in page.text
    response = client.post(_matching(setting) + "/run", follow_redirects=True)
    assert response.status_code == 200
    assert "Matching proposed 6 pairs" in response.text
    assert "Shared needs" in response.text and "networks, sales" in response.text
    assert "Confirm all 6 proposed pairs" in response.text
    response = client.post(_matching(setting) + "/confirm", follow_redirects=True)
    assert "6 pairs confirmed" in response.text
    statuses = set(db.session.scalars(select(Match.status)))
    assert statuses == {MatchStatus.CONFIRMED}


def test_run_without_mentors_is_refused_with_a_message(db, staff, login_as):
    cohort = factories.make_cohort(phase="running")
    factories.make_enrollment(cohort=cohort)
    response = login_as(staff).post(f"/mentoring/cohorts/{cohort.id}/matching/run")
    assert response.status_code == 409
    assert "No mentor with a profile is available" in response.text


def test_hand_made_pair_refusals_show_their_message(setting, staff, login_as):
    client = login_as(staff)
    lumiere, hugo = setting.startups[0], setting.mentors[2]
    db.session.add(MentorConflict(mentor_id=hugo.id, startup_id=lumiere.id, reason="Investor"))
    db.session.flush()
    url = _matching(setting) + "/add"
    response = client.post(url, data={"startup": lumiere.id, "mentor": hugo.id})
    assert response.status_code == 409 and "declared a conflict" in response.text
    theo = setting.mentors[0]
    for startup in setting.startups[1:]:
        factories.make_match(
            cohort_id=setting.cohort.id, startup_id=startup.id, mentor_id=theo.id, status="proposed"
        )
    response = client.post(url, data={"startup": lumiere.id, "mentor": theo.id})
    assert response.status_code == 409 and "at capacity" in response.text
    response = client.post(url, data={"startup": "abc", "mentor": ""})
    assert response.status_code == 422
    response = client.post(url, data={"startup": lumiere.id, "mentor": setting.mentors[3].id})
    assert response.status_code == 302


def test_swap_and_remove(setting, staff, login_as):
    client = login_as(staff)
    brisa, hugo, gabi = setting.startups[2], setting.mentors[2], setting.mentors[3]
    match = services.add_match(setting.cohort, startup_id=brisa.id, mentor_id=hugo.id, actor=staff)
    page = client.get(_matching(setting))
    assert f'name="swap-{match.id}-mentor"' in page.text
    response = client.post(
        f"/mentoring/matches/{match.id}/swap", data={f"swap-{match.id}-mentor": gabi.id}
    )
    assert response.status_code == 302
    new = db.session.scalar(select(Match).where(Match.mentor_id == gabi.id))
    response = client.post(
        f"/mentoring/matches/{match.id}/swap", data={f"swap-{match.id}-mentor": hugo.id}
    )
    assert response.status_code == 409 and "Only a proposed pair" in response.text
    assert client.post(f"/mentoring/matches/{new.id}/remove").status_code == 302
    assert db.session.get(Match, new.id).status == MatchStatus.REMOVED


def test_mentor_accepts_from_their_page(setting, staff, login_as):
    services.run_matching(setting.cohort, actor=staff)
    confirmed = services.confirm_matches(setting.cohort, actor=staff)
    mentor = next(m for m in setting.mentors if m.id == confirmed[0].mentor_id)
    client = login_as(mentor)
    home = client.get("/")
    assert "wait for your answer" in home.text or "waits for your answer" in home.text
    startup = next(s for s in setting.startups if s.id == confirmed[0].startup_id)
    assert f'<li>{startup.name} <span class="text-body-secondary small">{setting.cohort.name}' in (
        home.text
    )
    page = client.get("/mentoring/matches")
    assert "Accept" in page.text
    response = client.post(f"/mentoring/matches/{confirmed[0].id}/accept", follow_redirects=True)
    assert "founders now know" in response.text
    assert db.session.get(Match, confirmed[0].id).status == MatchStatus.ACCEPTED
    again = client.post(f"/mentoring/matches/{confirmed[0].id}/decline", data={"reason": "x"})
    assert again.status_code == 409 and "no longer waiting" in again.text


def test_founder_home_and_my_mentors(setting, login_as):
    lumiere, theo = setting.startups[0], setting.mentors[0]
    factories.make_match(cohort_id=setting.cohort.id, startup_id=lumiere.id, mentor_id=theo.id)
    factories.make_match(
        cohort_id=setting.cohort.id,
        startup_id=lumiere.id,
        mentor_id=setting.mentors[1].id,
        status="proposed",
    )
    client = login_as(setting.founders[0])
    home = client.get("/")
    assert "Your mentors" in home.text and theo.name in home.text
    assert setting.mentors[1].name not in home.text  # a proposal is not news for founders
    assert theo.name in client.get("/mentoring/matches").text
    other = login_as(setting.founders[1]).get("/mentoring/matches")
    assert theo.name not in other.text


def test_mentor_without_profile_is_nudged(db, mentor, login_as):
    client = login_as(mentor)
    assert "Fill in your mentor profile" in client.get("/").text
    assert (
        client.get("/mentoring/profile")
        .headers["Location"]
        .endswith(f"/mentoring/mentors/{mentor.id}/edit")
    )
    tag = factories.make_tag("pricing")
    response = client.post(
        f"/mentoring/mentors/{mentor.id}/edit",
        data={
            "organisation": "Orange France",
            "title": "Director",
            "expertise": [str(tag.id)],
            "industries": "Telecom, Media",
            "languages": "fr, en",
            "capacity": "2",
            "available": "y",
        },
    )
    assert response.status_code == 302
    assert profile_of(mentor.id).industries == ["Telecom", "Media"]
    assert "Fill in your mentor profile" not in client.get("/").text


def test_profile_form_errors_answer_422_beside_the_field(db, mentor, login_as):
    response = login_as(mentor).post(
        f"/mentoring/mentors/{mentor.id}/edit",
        data={"organisation": "X", "languages": "français", "capacity": "2"},
    )
    assert response.status_code == 422
    assert "two-letter language codes" in response.text


def test_founder_directory_preferences(setting, login_as):
    client = login_as(setting.founders[0])
    page = client.get("/mentoring/mentors")
    assert page.status_code == 200 and "Your preferences (0 of 3)" in page.text
    for mentor in setting.mentors[:3]:
        response = client.post("/mentoring/preferences", data={"mentor_id": mentor.id})
        assert response.status_code == 302
    response = client.post("/mentoring/preferences", data={"mentor_id": setting.mentors[3].id})
    assert response.status_code == 409 and "at most 3" in response.text
    page = client.get("/mentoring/mentors")
    assert "Your choice no. 1" in page.text and "I would like this mentor" not in page.text
    first = db.session.scalar(select(MentorPreference).where(MentorPreference.rank == 1))
    assert (
        login_as(setting.founders[1]).post(f"/mentoring/preferences/{first.id}/delete").status_code
        == 404
    )
    client = login_as(setting.founders[0])
    assert client.post(f"/mentoring/preferences/{first.id}/delete").status_code == 302


def test_directory_filters_load_and_pages(setting, staff, login_as):
    factories.make_match(
        cohort_id=setting.cohort.id,
        startup_id=setting.startups[0].id,
        mentor_id=setting.mentors[0].id,
    )
    client = login_as(staff)
    page = client.get(f"/mentoring/mentors?cohort={setting.cohort.id}")
    assert "Load: 1 / 2" in page.text
    page = client.get("/mentoring/mentors?language=es")
    assert "Hugo Health" in page.text and "Théo Telecom" not in page.text
    tag = setting.tags["finance"]
    page = client.get(f"/mentoring/mentors?expertise={tag.id}")
    assert "Fiona Finance" in page.text and "Hugo Health" not in page.text
    page = client.get("/mentoring/mentors?q=gabi")
    assert "Gabi Generalist" in page.text and "Fiona Finance" not in page.text
    for _ in range(10):
        factories.make_mentor()
    first, second = client.get("/mentoring/mentors"), client.get("/mentoring/mentors?page=2")
    assert "Page 1 of 2" in first.text and "Page 2 of 2" in second.text


def test_the_staff_directory_is_kept_until_a_profile_or_match_changes(
    setting, staff, admin, login_as, count_queries
):
    """Kept as rendered, with its status, for every staff member asking the same (core.cache):
    a second view reads nothing but its user, and a change committed in between shows on the
    next. A founder's directory, with their preferences, is never the staff's."""
    db.session.commit()
    client = login_as(staff)
    url = f"/mentoring/mentors?cohort={setting.cohort.id}"
    first = client.get(url).get_data(as_text=True)
    with count_queries() as counter:
        again = client.get(url).get_data(as_text=True)
    assert (
        unsigned(again) == unsigned(first) and counter.count <= 2
    )  # the session's user, nothing of the page
    assert "Load: 0 / 2" in first
    factories.make_match(
        cohort_id=setting.cohort.id,
        startup_id=setting.startups[0].id,
        mentor_id=setting.mentors[0].id,
    )
    db.session.commit()
    assert "Load: 1 / 2" in client.get(url).text
    factories.make_mentor(name="Société Éclair Mentor", languages=["de"])
    db.session.commit()
    assert "Société Éclair Mentor" in client.get(url).text
    setting.mentors[1].name = "Fiona Finançe"
    db.session.commit()
    page = client.get(url).text
    assert "Fiona Finançe" in page and "Fiona Finance" not in page
    # Bad filters keep their 422; a filter is its own page; an admin sees the same mentors.
    for _ in range(2):
        assert client.get("/mentoring/mentors?cohort=abc").status_code == 422
        assert client.get("/mentoring/mentors?language=de").status_code == 200
    assert "Fiona Finançe" in login_as(admin).get(url).text
    founder_page = login_as(setting.founders[0]).get("/mentoring/mentors").text
    assert "Your preferences (0 of 3)" in founder_page and "Mentors without a profile" not in (
        founder_page
    )


def test_directory_query_count_does_not_grow(
    setting, staff, login_as, count_queries, full_page_counts, computed_figures
):
    client = login_as(staff)
    client.get("/mentoring/mentors")
    with count_queries() as small:
        client.get("/mentoring/mentors")
    for _ in range(8):
        factories.make_mentor(expertise=[setting.tags["sales"]])
    with count_queries() as large:
        client.get("/mentoring/mentors")
    assert large.count == small.count


def test_matching_page_query_count_does_not_grow(setting, staff, login_as, count_queries):
    client = login_as(staff)
    services.run_matching(setting.cohort, actor=staff)
    with count_queries() as small:
        client.get(_matching(setting))
    for _ in range(3):
        startup = factories.make_startup()
        factories.make_enrollment(cohort=setting.cohort, startup=startup)
        factories.make_mentor(expertise=[setting.tags["sales"]])
    services.run_matching(setting.cohort, actor=staff)
    with count_queries() as large:
        client.get(_matching(setting))
    assert large.count == small.count


def test_cohort_page_links_to_matching(setting, staff, login_as):
    page = login_as(staff).get(f"/cohorts/{setting.cohort.id}")
    assert page.status_code == 200
    assert f"/mentoring/cohorts/{setting.cohort.id}/matching" in page.text
    assert "2 mentors per startup" in page.text


def test_export_csv_and_xlsx(setting, staff, login_as):
    evil = factories.make_startup(name='=HYPERLINK("x")')
    factories.make_enrollment(cohort=setting.cohort, startup=evil)
    services.run_matching(setting.cohort, actor=staff)
    client = login_as(staff)
    csv = client.get(f"/mentoring/cohorts/{setting.cohort.id}/matches.csv")
    assert csv.status_code == 200 and "attachment" in csv.headers["Content-Disposition"]
    text = csv.data.decode("utf-8-sig")
    assert text.startswith("Match,Cohort,Startup,Mentor")
    assert "Lumière" in text and "'=HYPERLINK" in text
    xlsx = client.get(f"/mentoring/cohorts/{setting.cohort.id}/matches.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == 1 + 8 and sheet["A1"].value == "Match"


def test_cohort_form_keeps_mentors_per_startup(setting, staff, login_as):
    from tests.programs.test_views import cohort_form

    client = login_as(staff)
    response = client.post(
        f"/cohorts/{setting.cohort.id}/edit",
        data=cohort_form(name="Season 99", mentors_per_startup="3"),
    )
    assert response.status_code in (302, 303)
    db.session.refresh(setting.cohort)
    assert setting.cohort.mentors_per_startup == 3
    response = client.post(
        f"/cohorts/{setting.cohort.id}/edit",
        data=cohort_form(name="Season 99", mentors_per_startup="0"),
    )
    assert "Number must be between 1 and 10" in response.text  # the programs form's own answer
    db.session.refresh(setting.cohort)
    assert setting.cohort.mentors_per_startup == 3


def test_matching_page_speaks_french(setting, staff, login_as):
    services.run_matching(setting.cohort, actor=staff)
    page = login_as(staff).get(_matching(setting), headers={"Accept-Language": "fr-FR,fr"})
    assert "Lancer l’appariement" in page.text and "Besoins communs" in page.text
    assert "Proposé" in page.text


def test_staff_choose_the_cohort_whose_load_the_directory_shows(setting, staff, login_as):
    other = factories.make_cohort(phase="completed")
    factories.make_enrollment(cohort=other)
    factories.make_match(
        cohort_id=other.id, startup_id=setting.startups[0].id, mentor_id=setting.mentors[0].id
    )
    client = login_as(staff)
    page = client.get(f"/mentoring/mentors?cohort={other.id}&q=Théo")
    assert "Load: 1 / 2" in page.text
    page = client.get(f"/mentoring/mentors?cohort={setting.cohort.id}&q=Théo")
    assert "Load: 0 / 2" in page.text
    assert client.get("/mentoring/mentors?cohort=abc").status_code == 422


def test_mentor_with_a_profile_and_nothing_pending_has_no_mentoring_panel(setting, login_as):
    from accelerator.mentoring.panels import mentor_home

    page = login_as(setting.mentors[0]).get("/")
    assert "Fill in your mentor profile" not in page.text
    assert "wait for your answer" not in page.text and "waits for your answer" not in page.text
    assert mentor_home(setting.mentors[0]) is None  # so the home page keeps its empty state


def test_staff_home_shows_cohorts_short_of_mentors(setting, staff, login_as):
    client = login_as(staff)
    page = client.get("/")
    assert "3 startups lack mentors" in page.text
    assert f"/mentoring/cohorts/{setting.cohort.id}/matching" in page.text
    services.run_matching(setting.cohort, actor=staff)
    services.confirm_matches(setting.cohort, actor=staff)
    page = client.get("/")
    assert "lack mentors" not in page.text
    assert "6 pairs await the mentors' answers" in page.text


EMPTY_MENTOR_HOME = "Your startups and sessions will appear here once staff match you."


def test_the_mentor_home_shows_its_empty_state_only_when_there_is_nothing(setting, login_as):
    """Issue 18, item 6: a mentor with startups never reads that they will appear one day."""
    theo = setting.mentors[0]
    empty = login_as(theo).get("/").text
    assert EMPTY_MENTOR_HOME in empty and "No startups assigned to you yet." in empty
    for startup in setting.startups:
        factories.make_match(cohort_id=setting.cohort.id, startup_id=startup.id, mentor_id=theo.id)
    home = login_as(theo).get("/").text
    assert "You mentor 3 startups." in home
    assert EMPTY_MENTOR_HOME not in home and "No startups assigned to you yet." not in home


def test_the_cohort_page_lists_match_counts_one_badge_each(setting, staff, login_as):
    """Issue 18, item 7: the counts read "Confirmed: 2", "Accepted: 1", never run together."""
    fiona, gabi = setting.mentors[1], setting.mentors[3]
    for startup in setting.startups[:2]:
        factories.make_match(
            cohort_id=setting.cohort.id,
            startup_id=startup.id,
            mentor_id=gabi.id,
            status="confirmed",
        )
    factories.make_match(
        cohort_id=setting.cohort.id, startup_id=setting.startups[0].id, mentor_id=fiona.id
    )
    page = login_as(staff).get(f"/cohorts/{setting.cohort.id}").text
    panel = page.split("mentoring-cohort-panel", 1)[1].split("</section>", 1)[0]
    items = re.findall(r"<li[^>]*>\s*(<span[^>]*>[^<]*</span>)\s*</li>", panel)
    assert [re.sub(r"<[^>]+>", "", item) for item in items] == ["Confirmed: 2", "Accepted: 1"]
    words = " ".join(re.sub(r"<[^>]+>", " ", panel).split())
    assert "Confirmed: 2 Accepted: 1" in words and "2Accepted" not in re.sub(r"<[^>]+>", "", panel)


def test_a_big_cohorts_matching_runs_as_a_job(setting, staff, login_as, app, monkeypatch):
    from accelerator.jobs.models import Job, JobStatus

    monkeypatch.setitem(app.config, "MATCHING_BACKGROUND_STARTUPS", 2)  # three startups here
    client = login_as(staff)
    response = client.post(_matching(setting) + "/run")
    job = db.session.scalar(select(Job))
    assert response.location == f"/jobs/{job.id}"
    assert job.kind == "mentoring.matching" and job.status == JobStatus.DONE
    assert job.message == "Matching proposed 6 pairs. Check them, then confirm."
    assert len(db.session.scalars(select(Match)).all()) == 6
    page = client.get(response.location).text
    assert "Mentor matching" in page and _matching(setting) in page  # "See the result"


def test_people_select_writes_what_wtforms_writes(app):
    from wtforms.widgets import Select

    with app.test_request_context():
        people = [(1, 'Ana <&> "Bo"'), (2, "Zoé"), (3, "")]
        form = forms.AddPairForm(startups=[], mentors=[], formdata=None, meta={"csrf": False})
        form.mentor.choices = forms.choices(people)
        form.mentor.data = 2
        assert form.mentor() == Select()(form.mentor)
        assert 'selected value="2"' in form.mentor() and "&lt;&amp;&gt;" in form.mentor()


def test_the_mentor_home_stays_flat_in_statements(setting, staff, login_as, count_queries):
    theo = setting.mentors[0]
    client = login_as(theo)

    def wait_on(startup):
        factories.make_match(
            cohort_id=setting.cohort.id,
            startup_id=startup.id,
            mentor_id=theo.id,
            status="confirmed",
        )

    wait_on(setting.startups[0])
    client.get("/")
    with count_queries() as one:
        client.get("/")
    for startup in setting.startups[1:]:
        wait_on(startup)
    with count_queries() as three:
        home = client.get("/").text
    assert "3 matches wait for your answer" in home
    assert three.count == one.count
