"""Bodies an API client gets wrong: not JSON, unknown fields, a wrong method; always a problem."""

from __future__ import annotations


def test_a_body_that_is_not_json_is_a_problem(api, make):
    founder = make.make_user(role="founder")
    make.make_startup(founders=[founder])
    response = api.post(
        "/api/v1/applications",
        as_=founder,
        data="{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"


def test_unknown_fields_are_refused_by_name(api, make):
    founder = make.make_user(role="founder")
    make.make_startup(founders=[founder])
    cohort = make.make_cohort(phase="open")
    response = api.post(
        "/api/v1/applications", as_=founder, json={"cohort_id": cohort.id, "status": "accepted"}
    )
    assert response.status_code == 422
    assert "status" in response.get_json()["errors"]


def test_a_wrong_method_is_a_problem(api, staff):
    response = api.open("DELETE", "/api/v1/cohorts", as_=staff)
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
