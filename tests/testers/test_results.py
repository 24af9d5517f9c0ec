"""A campaign's results as its founders and staff read them: the SUS score and its 95 %
interval against a hand computation, NPS 30 for 5 promoters, 3 passives and 2 detractors, the
quotas, the group rule (no figure about fewer than five people), the startup's own questions,
the charts' JSON, the downloads, the empty state, and never a tester's name or address, for
the founder and staff alike, in the page and in every file."""

from __future__ import annotations

import io
import math
import secrets
import zipfile
from datetime import timedelta

import pandas as pd
import pytest

from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.testers import services
from accelerator.testers.fields import Question, QuotaInput
from accelerator.testers.models import CampaignInvitation, CampaignStatus
from accelerator.testers.results import MIN_GROUP, campaign_results, merged_groups
from tests import factories

#: A SUS answer sheet per score: odd items count (answer - 1), even ones (5 - answer), x 2.5.
SUS = {
    100.0: [5, 1, 5, 1, 5, 1, 5, 1, 5, 1],
    87.5: [4, 1, 4, 1, 4, 1, 4, 1, 4, 1],
    75.0: [4, 2, 4, 2, 4, 2, 4, 2, 4, 2],
    50.0: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
    25.0: [2, 4, 2, 4, 2, 4, 2, 4, 2, 4],
    0.0: [1, 5, 1, 5, 1, 5, 1, 5, 1, 5],
}
QUESTIONS = [
    Question("single", "Which payment did you use?", ["Card", "Wallet"]),
    Question("multiple", "What did you try?", ["Search", "Checkout", "Refund"]),
    Question("scale", "How easy was paying?"),
    Question("text", "What would you change?"),
]


@pytest.fixture
def campaign(lab):
    """A running campaign of Société Éclair with quotas and four questions of its own."""
    found = factories.make_campaign(
        startup=lab.startup,
        status="approved",
        actor=lab.staff,
        responses_wanted=20,
        quotas=[QuotaInput("os", "ios", 6), QuotaInput("segment", "pro", 3)],
        questions=QUESTIONS,
    )
    found.status = CampaignStatus.RUNNING
    db.session.flush()
    return found


_serial = iter(range(1, 10**6))


def _invite(campaign, **tester):
    n = next(_serial)
    person = factories.make_tester(
        name=f"Zoé Quintal-Hébert {n}", email=f"zoe.quintal.{n}@example.net", **tester
    )
    invitation = CampaignInvitation(
        campaign_id=campaign.id,
        tester_id=person.id,
        token_hash=secrets.token_hex(32),
        expires_at=utcnow() + timedelta(days=30),
    )
    db.session.add(invitation)
    db.session.flush()
    return person, invitation


def _answer(campaign, *, sus=100.0, nps=9, answers=("Card", ["Search"], 4, ""), **tester):
    """A tester invited to `campaign` who answers it (through the service)."""
    person, invitation = _invite(campaign, **tester)
    services.submit_response(invitation, sus=list(SUS[sus]), nps=nps, answers=list(answers))
    db.session.flush()
    return person


def _ten(campaign):
    """Ten answers: SUS scores known, 5 promoters, 3 passives, 2 detractors; 6 on iOS, 3 pros."""
    rows = [
        (100.0, 10, "ios", "consumer"),
        (87.5, 9, "ios", "consumer"),
        (87.5, 9, "ios", "pro"),
        (75.0, 10, "ios", "pro"),
        (75.0, 9, "ios", "pro"),
        (75.0, 8, "ios", "consumer"),
        (50.0, 7, "android", "consumer"),
        (50.0, 7, "android", "consumer"),
        (25.0, 6, "android", "consumer"),
        (0.0, 3, "android", "consumer"),
    ]
    return [
        _answer(campaign, sus=sus, nps=nps, os=os, segment=segment)
        for sus, nps, os, segment in rows
    ]


def _hand_interval(values):
    """Mean and 95 % interval by Student's t (n - 1 degrees of freedom), by hand."""
    from scipy import stats

    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    return mean, mean - half, mean + half


# --- The figures -----------------------------------------------------------------------------


def test_sus_mean_and_interval_match_a_hand_computation(db, campaign):
    _ten(campaign)
    found = campaign_results(campaign)
    scores = [100, 87.5, 87.5, 75, 75, 75, 50, 50, 25, 0]
    mean, low, high = _hand_interval(scores)
    assert found.sus.n == 10
    assert found.sus.mean == pytest.approx(62.5) == pytest.approx(mean)
    assert found.sus.low == pytest.approx(low, abs=0.01)
    assert found.sus.high == pytest.approx(high, abs=0.01)
    assert dict(found.sus_bins)["70–80"] == 3 and dict(found.sus_bins)["90–100"] == 1


def test_nps_is_30_for_5_promoters_3_passives_2_detractors(db, campaign):
    _ten(campaign)
    nps = campaign_results(campaign).nps
    assert (nps.promoters, nps.passives, nps.detractors) == (5, 3, 2)
    assert nps.score == pytest.approx(30)


def test_responses_against_target_quotas_and_response_rate(db, campaign):
    _ten(campaign)
    for _ in range(10):  # invited, never answered
        _invite(campaign)
    found = campaign_results(campaign)
    assert (found.count, found.wanted, found.invited) == (10, 20, 20)
    assert found.response_rate == pytest.approx(50)
    quotas = {(q.attribute, q.value): (q.at_least, q.got, q.met) for q in found.quotas}
    assert quotas == {("os", "ios"): (6, 6, True), ("segment", "pro"): (3, 3, True)}


def test_the_startups_own_questions(db, campaign):
    _answer(campaign, answers=("Card", ["Search", "Checkout"], 5, "Plus de moyens de paiement"))
    _answer(campaign, answers=("Wallet", ["Checkout"], 3, ""))
    _answer(campaign, answers=("Card", [], 4, "Un reçu par e-mail"))
    single, multiple, scale, text = campaign_results(campaign).questions
    assert single.counts == [("Card", 2), ("Wallet", 1)] and single.answered == 3
    assert multiple.counts == [("Search", 1), ("Checkout", 2), ("Refund", 0)]
    assert scale.mean == pytest.approx(4) and dict(scale.counts)["5"] == 1
    assert text.texts == ["Plus de moyens de paiement", "Un reçu par e-mail"]  # by date


# --- The group rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sizes, shown",
    [
        ({"consumer": 5, "pro": 4}, None),  # 4 alone, merged with the 5, is the whole: nothing
        ({"consumer": 5, "pro": 5}, {"consumer": 5, "pro": 5}),
        ({"ios": 6, "android": 3, "windows": 2}, {"ios": 6, None: 5}),
        ({"ios": 6, "android": 7, "windows": 2}, {"android": 7, None: 8}),  # 2 + the smallest
        ({"ios": 4}, None),
    ],
)
def test_no_group_of_fewer_than_five(sizes, shown):
    values = pd.Series([value for value, n in sizes.items() for _ in range(n)])
    groups = merged_groups(values)
    sizes_shown: dict = {}
    for value, n in sizes.items():
        if value in groups:
            sizes_shown[groups[value]] = sizes_shown.get(groups[value], 0) + n
    if shown is None:
        assert len(sizes_shown) < 2
    else:
        assert sizes_shown == shown
    assert all(n >= MIN_GROUP for n in sizes_shown.values())


def test_a_segment_of_4_is_not_shown_and_of_5_it_is(db, campaign, lab, client, login_as):
    for _ in range(5):
        _answer(campaign, sus=75.0, segment="consumer")
    for _ in range(4):
        _answer(campaign, sus=25.0, segment="pro")
    found = campaign_results(campaign)
    assert "segment" not in {b.attribute for b in found.breakdowns}
    page = login_as(lab.founder).get(f"/testers/campaigns/{campaign.id}/results").text
    assert 'data-breakdown="segment"' not in page and 'data-group="pro"' not in page

    _answer(campaign, sus=25.0, segment="pro")
    found = campaign_results(campaign)
    segment = next(b for b in found.breakdowns if b.attribute == "segment")
    assert [(g.value, g.count, g.sus_mean) for g in segment.groups] == [
        ("consumer", 5, 75.0),
        ("pro", 5, 25.0),
    ]
    page = client.get(f"/testers/campaigns/{campaign.id}/results").text
    assert 'data-breakdown="segment"' in page and 'data-group="pro"' in page
    for breakdown in found.breakdowns:
        assert all(group.count >= MIN_GROUP for group in breakdown.groups)


def test_small_groups_are_merged_into_other(db, campaign):
    for os_, n in (("ios", 6), ("android", 3), ("windows", 2)):
        for _ in range(n):
            _answer(campaign, os=os_)
    os_breakdown = next(b for b in campaign_results(campaign).breakdowns if b.attribute == "os")
    assert [(g.value, g.count) for g in os_breakdown.groups] == [("ios", 6), (None, 5)]
    assert os_breakdown.groups[1].label.startswith("Other") and os_breakdown.merged == 2


# --- The page, its charts, its files ---------------------------------------------------------


def test_the_founder_reads_the_results(db, campaign, lab, login_as):
    _ten(campaign)
    response = login_as(lab.founder).get(f"/testers/campaigns/{campaign.id}/results")
    assert response.status_code == 200
    page = response.text
    assert "Société Éclair" in page and campaign.title in page
    assert 'data-chart-url="/testers/campaigns/' in page and "chart.umd.min.js" in page
    assert "data-promoters>5<" in page and "data-detractors>2<" in page
    assert 'data-quota="os-ios"' in page


def test_the_charts_json(db, campaign, lab, login_as):
    _ten(campaign)
    client = login_as(lab.staff)
    sus = client.get(f"/testers/campaigns/{campaign.id}/results/sus.json").get_json()
    assert sus["type"] == "bar" and sum(sus["datasets"][0]["data"]) == 10
    nps = client.get(f"/testers/campaigns/{campaign.id}/results/nps.json").get_json()
    assert [d["data"] for d in nps["datasets"]] == [[5], [3], [2]]


def test_no_answers_yet_is_an_empty_state(db, campaign, lab, login_as):
    client = login_as(lab.founder)
    page = client.get(f"/testers/campaigns/{campaign.id}/results").text
    assert "No answers yet." in page and "data-chart-url" not in page
    assert client.get(f"/testers/campaigns/{campaign.id}/results.xlsx").status_code == 200
    nps = client.get(f"/testers/campaigns/{campaign.id}/results/nps.json").get_json()
    assert [d["data"] for d in nps["datasets"]] == [[0], [0], [0]]


def test_downloads_hold_the_figures_and_anonymous_responses(db, campaign, lab, login_as):
    _ten(campaign)
    client = login_as(lab.founder)
    figures = client.get(f"/testers/campaigns/{campaign.id}/results.csv")
    assert figures.status_code == 200 and figures.mimetype == "text/csv"
    frame = pd.read_csv(io.BytesIO(figures.data), encoding="utf-8-sig")
    values = dict(zip(frame["Figure"], frame["Value"], strict=True))
    assert values["SUS score (mean, 0–100)"] == pytest.approx(62.5)
    assert values["Net Promoter Score (−100 to 100)"] == pytest.approx(30)
    responses = client.get(f"/testers/campaigns/{campaign.id}/results.csv?sheet=responses")
    rows = pd.read_csv(io.BytesIO(responses.data), encoding="utf-8-sig")
    assert len(rows) == 10 and list(rows["SUS score"])[:2] == [100.0, 87.5]
    assert not {"os", "Operating system", "segment", "Customer segment"} & set(rows.columns)
    workbook = client.get(f"/testers/campaigns/{campaign.id}/results.xlsx")
    sheets = pd.read_excel(io.BytesIO(workbook.data), sheet_name=None)
    assert list(sheets) == ["Figures", "Groups", "Quotas", "Questions", "Responses"]
    assert len(sheets["Responses"]) == 10


def _texts(client, campaign_id) -> list[str]:
    """The page, the charts' JSON and every file, as text (the XLSX's XML parts unzipped)."""
    base = f"/testers/campaigns/{campaign_id}/results"
    texts = [client.get(base + path).text for path in ("", "/sus.json", "/nps.json")]
    for sheet in ("figures", "groups", "quotas", "questions", "responses"):
        texts.append(client.get(f"{base}.csv?sheet={sheet}").data.decode("utf-8-sig"))
    with zipfile.ZipFile(io.BytesIO(client.get(f"{base}.xlsx").data)) as book:
        texts += [book.read(name).decode("utf-8") for name in book.namelist()]
    return texts


@pytest.mark.parametrize("reader", ["founder", "staff"])
def test_no_testers_name_or_address_anywhere(db, campaign, lab, login_as, reader):
    people = [
        _answer(campaign, answers=("Card", ["Refund"], 2, f"Avis numéro {n}")) for n in range(6)
    ]
    texts = _texts(login_as(getattr(lab, reader)), campaign.id)
    assert any("Avis numéro 3" in text for text in texts)  # the answers are there
    for person in people:
        for text in texts:
            assert person.name not in text and person.email not in text
            assert "Quintal" not in text and "example.net" not in text


def test_an_erased_testers_answer_still_counts_without_its_text(db, campaign, lab):
    people = [_answer(campaign, answers=("Card", [], 4, f"Texte {n}")) for n in range(5)]
    services.erase_tester(people[0], actor=lab.staff)
    db.session.flush()
    found = campaign_results(campaign)
    assert found.count == 5 and found.questions[3].texts == [f"Texte {n}" for n in range(1, 5)]


def test_statements_stay_flat_from_6_to_60_responses(db, campaign, lab, login_as, count_queries):
    def counts():
        client = login_as(lab.founder)
        found = []
        for path in ("", ".xlsx", ".csv?sheet=responses", "/sus.json"):
            with count_queries() as counter:
                assert (
                    client.get(f"/testers/campaigns/{campaign.id}/results{path}").status_code == 200
                )
            found.append(counter.count)
        return found

    segments = ["consumer", "pro"]
    for n in range(6):
        _answer(campaign, segment=segments[n % 2], os="ios" if n % 3 else "android")
    few = counts()
    for n in range(54):
        _answer(campaign, segment=segments[n % 2], os="ios" if n % 3 else "android")
    assert counts() == few


@pytest.mark.parametrize(
    "role, status",
    [
        ("founder", 200),
        ("staff", 200),
        ("admin", 200),
        ("other_founder", 404),
        ("mentor", 403),
        ("partner", 403),
        (None, 302),
    ],
)
def test_who_reads_the_results(db, campaign, lab, login_as, role, status):
    _ten(campaign)
    user = {"founder": lab.founder, "staff": lab.staff}.get(role)
    if user is None and role is not None:
        user = factories.make_user(role="founder" if role == "other_founder" else role)
    client = login_as(user)
    for path in ("", "/sus.json", ".csv", ".xlsx"):
        response = client.get(f"/testers/campaigns/{campaign.id}/results{path}")
        assert response.status_code == status, (role, path)
