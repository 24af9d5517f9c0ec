"""/api/v1 programs, cohorts and enrollments: who sees what."""

from __future__ import annotations


def test_drafts_are_for_staff_only(api, make, staff, founder):
    draft = make.make_cohort(phase="draft")
    published = make.make_cohort(phase="open")
    assert api.get(f"/api/v1/cohorts/{draft.id}", as_=staff).status_code == 200
    assert api.get(f"/api/v1/cohorts/{draft.id}", as_=founder).status_code == 404
    ids = {c["id"] for c in api.get("/api/v1/cohorts?limit=200", as_=founder).get_json()["items"]}
    assert published.id in ids and draft.id not in ids
    only = api.get(f"/api/v1/programs/{draft.program_id}", as_=founder)
    assert only.status_code == 404  # a program with no published cohort is not public yet
    assert api.get(f"/api/v1/programs/{published.program_id}", as_=founder).status_code == 200


def test_cohort_filters(api, make, staff):
    program = make.make_program()
    draft = make.make_cohort(program=program, phase="draft")
    running = make.make_cohort(program=program, phase="running")
    url = f"/api/v1/cohorts?program_id={program.id}"
    ids = [c["id"] for c in api.get(url + "&state=draft", as_=staff).get_json()["items"]]
    assert ids == [draft.id]
    after = running.starts_on.isoformat()
    got = api.get(url + f"&starts_after={after}&starts_before={draft.starts_on}", as_=staff)
    assert [c["id"] for c in got.get_json()["items"]] == [running.id]


def test_founders_see_only_their_own_enrollments(api, make, staff):
    mine = make.make_enrollment(startup=make.make_startup(name="Société Éclair"))
    other = make.make_enrollment()
    founder = make.founder_of(mine)
    listed = api.get("/api/v1/enrollments", as_=founder).get_json()["items"]
    assert [e["id"] for e in listed] == [mine.id]
    assert api.get(f"/api/v1/enrollments/{other.id}", as_=founder).status_code == 404
    assert api.get(f"/api/v1/enrollments/{mine.id}", as_=founder).status_code == 200
    every = {e["id"] for e in api.get("/api/v1/enrollments", as_=staff).get_json()["items"]}
    assert {mine.id, other.id} <= every
