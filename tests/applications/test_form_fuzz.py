"""Hypothesis posts generated values to the application form: never a 500, never a bad row."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accelerator.applications.models import Application, ApplicationStatus
from accelerator.applications.services import MAX_COUNT, MAX_LINE, MAX_MONEY_CENTS, MAX_TEXT
from accelerator.applications.vocab import CURRENCIES
from accelerator.extensions import db
from tests import factories

TEXT_FIELDS = (
    "one_liner",
    "problem",
    "solution",
    "traction",
    "team",
    "program_goals",
    "business_unit_asks",
)
NUMBER_FIELDS = ("monthly_revenue_cents", "active_users", "funding_raised_cents")

# Text that breaks naive code: control characters, huge and negative numbers, formulas.
nasty_text = st.one_of(
    st.text(max_size=60),
    st.text(min_size=MAX_LINE - 2, max_size=MAX_LINE + 5),
    st.sampled_from(["", " ", "=1+1", "\x00", "<script>", "１２３", "NaN", "1e9", "٣"]),
)
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    st.sampled_from(
        [
            "",
            "12,500.50",
            "$300",
            "1 000",
            "-0",
            "0.001",
            "1_000",
            "٣",
            "1e3",
            "inf",
            "99999999999999999999999",
            "  42  ",
            "€5",
        ]
    ),
    st.text(max_size=20),
)
posts = st.fixed_dictionaries(
    {},
    optional={
        **{name: nasty_text for name in TEXT_FIELDS},
        **{name: numbers for name in NUMBER_FIELDS},
        "currency": st.one_of(st.sampled_from(CURRENCIES), st.text(max_size=5)),
        "problem": st.text(min_size=MAX_TEXT - 1, max_size=MAX_TEXT + 2, alphabet="ab"),
        "save": st.just("1"),
        "submit": st.just("1"),
    },
)


def _valid(application: Application) -> bool:
    for name in NUMBER_FIELDS:
        value = getattr(application, name)
        limit = MAX_MONEY_CENTS if name.endswith("_cents") else MAX_COUNT
        if value is not None and not (isinstance(value, int) and 0 <= value <= limit):
            return False
    for name in TEXT_FIELDS:
        value = getattr(application, name)
        limit = MAX_LINE if name == "one_liner" else MAX_TEXT
        if value is not None and (not value.strip() or len(value) > limit):
            return False
    return application.currency in CURRENCIES


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=posts)
def test_posting_anything_gives_no_500_and_no_invalid_row(login_as, founder, draft, data):
    response = login_as(founder).post(f"/applications/{draft.id}/edit", data=data)
    assert response.status_code in (302, 409, 422), response.status_code
    db.session.refresh(draft)
    assert _valid(draft)
    assert draft.status in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=posts)
def test_starting_from_the_call_page_is_just_as_safe(login_as, db, data):
    founder = factories.make_user(role="founder")
    factories.make_startup(founders=[founder])
    cohort = factories.make_cohort()
    response = login_as(founder).post(f"/calls/{cohort.id}/apply", data=data)
    assert response.status_code in (302, 409, 422), response.status_code
    application = db.session.query(Application).filter_by(cohort_id=cohort.id).one()
    assert _valid(application)
