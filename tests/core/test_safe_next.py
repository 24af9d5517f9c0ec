"""The one guard for "next" links: only paths on this site, everywhere a form sends people on."""

from __future__ import annotations

import pytest

from accelerator.core.urls import safe_next

REFUSED = [
    None,
    "",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "https://evil.example/",
    "http:/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/ok\x00",
    "/ok\x7f",
    "/%09/evil.example",
    "evil.example",
]


@pytest.mark.parametrize("target", REFUSED)
def test_unsafe_targets_are_refused(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/", "/applications?page=2", "/calls/3/apply", "/a%20b"])
def test_paths_on_this_site_are_kept(target):
    assert safe_next(target) == target


def test_the_profile_page_renders_no_off_site_back_link(login_as, make):
    founder = make.make_user(role="founder")
    make.make_startup(founders=[founder])
    page = login_as(founder).get("/startup?next=/%5Cevil.example/").get_data(as_text=True)
    assert "Back to your application" not in page
    page = login_as(founder).get("/startup?next=/calls").get_data(as_text=True)
    assert 'href="/calls"' in page


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "javascript:alert(1)"])
def test_login_never_follows_an_off_site_next(client, make, target):
    from tests.factories import PASSWORD

    user = make.make_user(role="founder")
    response = client.post(
        "/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert (
        "evil" not in response.headers["Location"]
        and "javascript" not in response.headers["Location"]
    )


def test_assigning_a_reviewer_never_goes_back_off_site(login_as, make, staff):
    cohort = make.make_cohort()
    application = make.make_application(cohort=cohort, status="submitted")
    response = login_as(staff).post(
        f"/reviews/applications/{application.id}/assign",
        data={"reviewer": staff.id, "back": "/\\evil.example/"},
    )
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
