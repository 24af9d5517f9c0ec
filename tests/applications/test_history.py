"""Staff read an application's history as sentences with field labels, one per act."""

from __future__ import annotations

import re

from accelerator.applications import services
from tests.factories import COMPLETE_ANSWERS, founder_of


def _history(page: str) -> list[str]:
    block = page.split('class="list-unstyled small mb-0 history"', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r"<li[^>]*>(.*?)</li>", block, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_history_reads_as_sentences_one_per_act(login_as, make, staff):
    founder = make.make_user(role="founder", name="Fay Founder")
    startup = make.make_startup(founders=[founder])
    cohort = make.make_cohort(phase="open")
    application = services.start_application(cohort, actor=founder)
    services.save_draft(
        application,
        actor=founder,
        answers={"one_liner": "Parts from a photo", "funding_raised_cents": 1_000},
    )
    services.save_draft(application, actor=founder, answers=dict(COMPLETE_ANSWERS))
    application.pitch_deck_id = make.make_deck().id
    services.submit_application(application, actor=founder)
    page = login_as(staff).get(f"/applications/{application.id}").get_data(as_text=True)
    entries = _history(page)
    sentences = [e.split(" ", 3)[-1] for e in entries]  # after "YYYY-MM-DD HH:MM ZONE"
    assert sentences[0] == "Fay Founder started the application."
    assert sentences[1] == (
        "Fay Founder saved the draft, changing: Your company in one sentence, "
        "Funding raised so far."
    )
    assert sentences[-1] == "Fay Founder submitted the application."
    assert sum("submitted" in s for s in sentences) == 1  # one entry for one submission
    assert "funding_raised_cents" not in " ".join(entries) and "one_liner" not in " ".join(entries)
    assert startup.id  # the startup the founder belongs to


def test_a_decision_is_one_sentence(login_as, make, staff):
    cohort = make.make_cohort(phase="reviewing")
    application = make.make_application(cohort=cohort, status="in_review")
    login_as(staff).post(
        f"/reviews/applications/{application.id}/decide",
        data={"outcome": "waitlisted", "note": ""},
    )
    entries = _history(
        login_as(staff).get(f"/applications/{application.id}").get_data(as_text=True)
    )
    assert entries[-1].endswith(f"{staff.name} put the application on the waitlist.")
    assert not any("moved the application" in e and "Waitlisted" in e for e in entries)


def test_the_founders_answer_to_an_offer_is_one_sentence(login_as, make, staff):
    cohort = make.make_cohort(phase="reviewing")
    application = make.make_application(cohort=cohort, status="in_review")
    make.make_offer(application)
    founder = founder_of(application)
    login_as(founder).post(f"/reviews/offers/{application.id}/decline")
    entries = _history(
        login_as(staff).get(f"/applications/{application.id}").get_data(as_text=True)
    )
    assert entries[-1].endswith(f"{founder.name} declined the offered place.")
    assert "offer.declined" not in " ".join(entries)
