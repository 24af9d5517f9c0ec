"""Honest status codes: a form with errors answers 422, a refusal on the current state 409,
both with the message on the page; a forwarded refusal keeps the session and the user."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template_string, url_for

from accelerator.core.errors import InvalidState, NotAllowed, ValidationFailed
from accelerator.core.refusals import answered, note_refusal, refuse, status_for
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

    @probe.route("/done", methods=["POST"])
    def done():
        flash("Saved.", "success")
        return redirect(url_for("refusal_probe.page"))

    return probe


def test_statuses_per_kind_of_refusal():
    assert status_for(ValidationFailed("x")) == 422
    assert status_for(NotAllowed("x")) == 403
    assert status_for(InvalidState("x")) == 409
    assert status_for(None) == 409


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
