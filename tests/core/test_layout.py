"""The layout's links: static files versioned by their content and kept by browsers."""

from __future__ import annotations

import re

from accelerator.core import layout

STATIC_LINK = re.compile(r'(?:href|src)="(/[^"]*static/[^"]*)"')


def _static_links(body: str) -> list[str]:
    return STATIC_LINK.findall(body)


def test_static_links_carry_a_digest_and_are_kept_a_year(login_as, staff):
    client = login_as(staff)
    page = client.get("/audit")
    links = _static_links(page.text)
    assert len(links) >= 5  # Bootstrap's css and scripts, the app's css, script and icon
    for link in links:
        assert re.search(r"\?v=[0-9a-f]{12}$", link), link
        with client.get(link) as served:
            assert served.status_code == 200
            assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert page.headers["Cache-Control"] == "no-store"  # the signed-in page itself is not kept


def test_a_static_file_asked_for_without_its_version_is_revalidated(client):
    with client.get("/static/css/app.css") as served:
        assert served.status_code == 200
        assert "immutable" not in served.headers.get("Cache-Control", "")


def test_the_version_is_the_files_content(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    (tmp_path / "site.css").write_text("body { color: black }")
    first = layout._digest(app, "static", "site.css")
    (tmp_path / "site.css").write_text("body { color: navy }")
    assert layout._digest(app, "static", "site.css") != first
    assert layout._digest(app, "static", "missing.css") == ""


def test_links_with_arguments_are_built_for_each_request(login_as, staff, make):
    cohort = make.make_cohort()
    page = login_as(staff).get(f"/cohorts/{cohort.id}")
    assert page.status_code == 200
    assert f"/cohorts/{cohort.id}" in page.text


def test_a_link_with_one_number_is_the_link_url_for_builds(app):
    """The templates' url_for fills a kept pattern with the number: the same link as Flask's,
    for any number, under any script root; other arguments are built as usual."""
    from flask import render_template_string, url_for

    template = "{{ url_for(endpoint, **values) }}"
    cases = [
        ("grants.show", {"grant_id": 7}),
        ("grants.show", {"grant_id": 123456}),
        ("applications.show", {"application_id": 0}),
        ("grants.index", {"page": 3}),  # a query argument
        ("grants.show", {"grant_id": True}),  # not a number: built as usual
        ("reviews.pipeline", {"cohort_id": 2, "status": "accepted"}),
    ]
    for root in ("", "/accelerator"):
        with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": root}):
            for endpoint, values in cases:
                for _ in range(2):  # the pattern is made, then read
                    built = render_template_string(template, endpoint=endpoint, values=values)
                    assert built == url_for(endpoint, **values), (root, endpoint, values)


def test_a_pattern_is_only_kept_when_the_number_cannot_change_the_rule(app):
    with app.test_request_context("/"):
        assert layout._pattern(app, "grants.show", "grant_id") == ("/grants/", "")
        assert layout._pattern(app, "no.such.endpoint", "x") is None
