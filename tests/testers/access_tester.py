"""Access expectations for the tester's pages (tester_views): the questionnaire, its thank-you
page, the tester's data and its erasure, leaving the panel.

A personal link needs no account: it is the token that counts, so every role, signed in or
not, gets the same answer. Acts that end a link (erasing) would change the world for the
roles after the first: those cases build a fresh link for each role (`_fresh`), and one case
keeps world.tester_token to show the link dies for the roles after the first.
"""

from __future__ import annotations

from tests.access import Case, expect, public

TAMPERED = "/testers/t/not-a-real-token-0000000000000000000000000"
ANSWERS = {**{f"sus_{n}": "4" for n in range(1, 11)}, "nps": "9"}
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def _link(w, path: str = "") -> str:
    return f"/testers/t/{w.tester_token}{path}"


def _new_link(w, status: str, *, answered: bool = False) -> str:
    """A fresh tester invited to the campaign in `status`, and their personal link."""
    from accelerator.core.tokens import new_token
    from accelerator.extensions import db
    from accelerator.testers import services
    from accelerator.testers.models import CampaignInvitation
    from tests import factories

    campaign = w.campaigns[status]
    tester = factories.make_tester(name="Hélène Matrix", language="fr")
    token, token_hash = new_token()
    invitation = CampaignInvitation(
        campaign_id=campaign.id,
        tester_id=tester.id,
        token_hash=token_hash,
        wave=1,
        expires_at=services.link_expiry(campaign),
    )
    db.session.add(invitation)
    db.session.flush()
    if answered:
        services.submit_response(invitation, sus=[4] * 10, nps=9, answers=[None])
        db.session.flush()
    return f"/testers/t/{token}"


def _fresh(path: str = "", *, status: str = "running", answered: bool = False):
    return lambda w: _new_link(w, status, answered=answered) + path


CASES = {
    "testers.answer": [
        Case(_link, public(200)),
        Case(_fresh(status="closed"), public(410), note="a closed test's link says so"),
        Case(TAMPERED, public(404)),
        # Answering again updates the answer: every role after the first gets the same.
        Case(_link, public(302), method="POST", data=ANSWERS),
        Case(_link, public(422), method="POST", data={"nps": "11"}, note="beside the fields"),
        Case(_fresh(status="closed"), public(410), method="POST", data=ANSWERS),
        Case(TAMPERED, public(404), method="POST", data=ANSWERS),
    ],
    "testers.thanks": [
        Case(_fresh("/thanks", answered=True), public(200)),
        Case(lambda w: _link(w, "/thanks"), public(302), note="not answered: the questionnaire"),
        Case(TAMPERED + "/thanks", public(404)),
    ],
    "testers.data": [
        Case(lambda w: _link(w, "/data"), public(200)),
        Case(_fresh("/data", status="closed"), public(200), note="kept after the close"),
        Case(TAMPERED + "/data", public(404)),
    ],
    "testers.erase": [
        Case(_fresh("/erase"), public(200), method="POST"),
        Case(
            lambda w: _link(w, "/erase"),
            expect(410, anonymous=200),
            method="POST",
            note="the first erases; the link is gone for the roles after",
        ),
        Case(TAMPERED + "/erase", public(404), method="POST"),
    ],
    "testers.unsubscribe": [
        Case(lambda w: _link(w, "/unsubscribe"), public(200), note="a GET changes nothing"),
        Case(TAMPERED + "/unsubscribe", public(404)),
        Case(_fresh("/unsubscribe"), public(200), method="POST", data=ONE_CLICK),
        Case(
            lambda w: _link(w, "/unsubscribe"),
            public(200),
            method="POST",
            note="a second click is harmless",
        ),
        Case(_fresh("/unsubscribe", status="closed"), public(200), method="POST"),
        Case(TAMPERED + "/unsubscribe", public(404), method="POST", data=ONE_CLICK),
    ],
}
