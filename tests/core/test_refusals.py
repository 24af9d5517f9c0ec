"""The one refusal path: a service's domain error is answered by one handler, with the status
its meaning says (404, 403, 409, 422) and its message: on the page the action came from, beside
the field of a form shown again, or as an RFC 9457 problem for JSON. A form with errors answers
422; a forwarded refusal keeps the session and the user."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template_string, url_for
from flask_wtf import FlaskForm
from wtforms import StringField

from accelerator.core.errors import (
    Conflict,
    Invalid,
    InvalidState,
    NotAllowed,
    NotFound,
    ValidationFailed,
)
from accelerator.core.refusals import (
    answered,
    note_refusal,
    refusal_page,
    refusals_beside,
    refuse,
)
from tests.auth.helpers import text


def _probe() -> Blueprint:
    probe = Blueprint("refusal_probe", __name__, url_prefix="/refusal-probe")

    @probe.route("/page")
    def page():
        return render_template_string(
            "{% for c, m in get_flashed_messages(with_categories=true) %}"
            "<p class='{{ c }}'>{{ m }}</p>{% endfor %}<p>the page</p>"
        )

    @probe.route("/form", methods=["POST"])
    def form():
        return render_template_string("<p>form shown again</p>")

    @probe.route("/state", methods=["POST"])
    def state():
        note_refusal(InvalidState("Cohort is full."))
        return render_template_string("<p>Cohort is full.</p>")

    @probe.route("/result", methods=["POST"])
    def result():
        answered()
        return render_template_string("<p>the check's report</p>")

    @probe.route("/refused", methods=["POST"])
    def refused():
        flash("an earlier note", "info")
        return refuse(InvalidState("Already decided."), url_for("refusal_probe.page") + "#x")

    @probe.route("/raises/<kind>", methods=["POST"])
    def raises(kind):
        refusal_page(url_for("refusal_probe.page"))
        errors = {"404": NotFound, "403": NotAllowed, "409": Conflict, "422": Invalid}
        raise errors[kind](f"Refused as {kind}.")

    @probe.route("/bare", methods=["POST"])
    def bare():
        raise Conflict("The cohort is full.")

    class NameForm(FlaskForm):
        class Meta:
            csrf = False

        name = StringField("Name")

    @probe.route("/named", methods=["POST"])
    def named():
        form = NameForm()
        if form.validate_on_submit():
            with refusals_beside(form):
                raise Invalid("That name is taken.", field="name")
            with refusals_beside(form):
                raise Conflict("The program is closed.")
        return render_template_string(
            "{% for m in get_flashed_messages() %}<p class=flash>{{ m }}</p>{% endfor %}"
            "<input value='{{ form.name.data }}'><span class=error>{{ form.name.errors[0] }}"
            "</span>",
            form=form,
        )

    @probe.route("/done", methods=["POST"])
    def done():
        flash("Saved.", "success")
        return redirect(url_for("refusal_probe.page"))

    return probe


def test_statuses_per_kind_of_refusal():
    """Each error's meaning is its status, in one place (the older names mean the same)."""
    assert [e("x").status for e in (NotFound, NotAllowed, Conflict, Invalid)] == [
        404,
        403,
        409,
        422,
    ]
    assert InvalidState("x").status == 409 and ValidationFailed("x").status == 422


def test_one_handler_answers_a_raised_refusal_on_the_page_it_names(build_app):
    client = build_app(blueprint=_probe()).test_client()
    for kind in ("403", "409", "422"):
        response = client.post(f"/refusal-probe/raises/{kind}")
        assert response.status_code == int(kind)
        assert "the page" in text(response) and f"Refused as {kind}." in text(response)
    response = client.post("/refusal-probe/raises/404")
    assert response.status_code == 404 and "Refused as 404." in text(response)


def test_without_a_named_page_the_refusal_shows_where_the_browser_came_from(build_app):
    client = build_app(blueprint=_probe()).test_client()
    response = client.post(
        "/refusal-probe/bare", headers={"Referer": "http://localhost/refusal-probe/page?x=1"}
    )
    assert response.status_code == 409
    assert "the page" in text(response) and "The cohort is full." in text(response)
    # From elsewhere (or nowhere): the error page, with the message and the status.
    for headers in ({"Referer": "http://evil.example/refusal-probe/page"}, {}):
        response = client.post("/refusal-probe/bare", headers=headers)
        assert response.status_code == 409 and "The cohort is full." in text(response)
        assert "the page" not in text(response)


def test_json_clients_get_an_rfc9457_problem_with_the_same_message(build_app):
    client = build_app(blueprint=_probe()).test_client()
    response = client.post("/refusal-probe/bare", headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 409 and body["detail"] == "The cohort is full."
    assert body["title"] and body["instance"] == "/refusal-probe/bare"


def test_a_form_shown_again_keeps_what_was_typed_with_the_message_beside_its_field(build_app):
    client = build_app(blueprint=_probe()).test_client()
    response = client.post("/refusal-probe/named", data={"name": "Société Éclair"})
    assert response.status_code == 422
    page = text(response)
    assert "Société Éclair" in page and "That name is taken." in page
    assert "The program is closed." in page, "an error of no field shows at the top"


def test_a_post_that_shows_its_form_again_answers_422(build_app):
    client = build_app(blueprint=_probe()).test_client()
    assert client.post("/refusal-probe/form").status_code == 422
    response = client.post("/refusal-probe/state")
    assert response.status_code == 409 and "Cohort is full." in text(response)
    assert client.post("/refusal-probe/result").status_code == 200
    assert client.post("/refusal-probe/done").status_code == 302
    assert client.get("/refusal-probe/page").status_code == 200


def test_a_refusal_answers_409_with_the_page_and_its_message(build_app):
    client = build_app(blueprint=_probe()).test_client()
    response = client.post("/refusal-probe/refused")
    assert response.status_code == 409
    page = text(response)
    assert "the page" in page and "Already decided." in page and "an earlier note" in page
    # The messages were shown once: the next page does not repeat them.
    assert "Already decided." not in text(client.get("/refusal-probe/page"))
