"""/api/v1 reviews are for staff only."""

from __future__ import annotations


def test_staff_read_reviews_with_their_scores_others_are_refused(api, make, staff, founder, mentor):
    review = make.make_review(scores=4, comment="Équipe solide")
    body = api.get(f"/api/v1/reviews/{review.id}", as_=staff).get_json()
    assert body["comment"] == "Équipe solide" and body["scores"]
    assert {s["score"] for s in body["scores"]} == {4}
    listed = api.get(f"/api/v1/reviews?application_id={review.application_id}", as_=staff)
    assert [r["id"] for r in listed.get_json()["items"]] == [review.id]
    for user in (founder, mentor):
        assert api.get("/api/v1/reviews", as_=user).status_code == 403
        assert api.get(f"/api/v1/reviews/{review.id}", as_=user).status_code == 403
