"""The public calls, read by a business-unit partner: the same pages as anyone's, no way to
apply, no draft."""

from __future__ import annotations


def test_a_partner_reads_the_calls_but_cannot_apply(client, login_as, make):
    program = make.make_program(name="Orange Fab France", location="Paris")
    open_call = make.make_cohort(program=program, phase="open", name="Saison Été")
    draft = make.make_cohort(program=program, phase="draft", name="Secret Season")
    login_as(make.make_user(role="partner", name="Hélène Partenaire"))

    calls = client.get("/calls")
    assert calls.status_code == 200
    page = calls.get_data(as_text=True)
    assert "Saison Été" in page and "Secret Season" not in page

    call = client.get(f"/calls/{open_call.id}")
    assert call.status_code == 200
    page = call.get_data(as_text=True)
    assert "Startups apply with a founder account." in page
    assert f"/calls/{open_call.id}/apply" not in page
    assert client.get(f"/calls/{open_call.id}/apply").status_code == 403
    assert client.get(f"/calls/{draft.id}").status_code == 404
