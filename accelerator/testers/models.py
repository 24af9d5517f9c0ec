"""The customer-tester panel and its test campaigns.

Testers are people without accounts: consent is required to be on the panel (a CHECK), each
campaign invitation is a personal link whose token is hashed at rest and expires with the
campaign, and erasure anonymises a tester while their answers keep counting. A campaign is
asked by a startup's founders, approved by staff, sent in waves of invitations chosen fairly
(`selection.select`), and read through its results.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accelerator.core.enums import RichStrEnum
from accelerator.core.types import UTCDateTime, enum_column, utcnow
from accelerator.extensions import db

if TYPE_CHECKING:
    from accelerator.applications.models import Startup
    from accelerator.programs.models import Cohort


class AgeBand(RichStrEnum):
    A18 = "18-24", _l("18–24")
    A25 = "25-34", _l("25–34")
    A35 = "35-44", _l("35–44")
    A45 = "45-54", _l("45–54")
    A55 = "55-64", _l("55–64")
    A65 = "65+", _l("65 and over")


class Gender(RichStrEnum):
    FEMALE = "female", _l("Female")
    MALE = "male", _l("Male")
    OTHER = "other", _l("Other")
    UNDISCLOSED = "undisclosed", _l("Prefer not to say")


class Device(RichStrEnum):
    PHONE = "phone", _l("Phone")
    TABLET = "tablet", _l("Tablet")
    COMPUTER = "computer", _l("Computer")


class OperatingSystem(RichStrEnum):
    IOS = "ios", _l("iOS")
    ANDROID = "android", _l("Android")
    WINDOWS = "windows", _l("Windows")
    MACOS = "macos", _l("macOS")
    LINUX = "linux", _l("Linux")
    OTHER = "other", _l("Other")


class Segment(RichStrEnum):
    CONSUMER = "consumer", _l("Consumer")
    PRO = "pro", _l("Professional")


#: The attributes a campaign may target and set quotas on: column -> its enum (None: free text).
ATTRIBUTES: dict[str, type[RichStrEnum] | None] = {
    "country": None,
    "language": None,
    "age_band": AgeBand,
    "gender": Gender,
    "region": None,
    "device": Device,
    "os": OperatingSystem,
    "segment": Segment,
}
ATTRIBUTE_LABELS = {
    "country": _l("Country"),
    "language": _l("Language"),
    "age_band": _l("Age band"),
    "gender": _l("Gender"),
    "region": _l("Region"),
    "device": _l("Device"),
    "os": _l("Operating system"),
    "segment": _l("Customer segment"),
}


class Tester(db.Model):
    """A customer who volunteered to test products; never signs in."""

    __tablename__ = "testers"
    __test__ = False  # pytest collects classes named Test*/Tester* from test modules

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased; an erased tester's is replaced by erased-<id>@invalid (no one's address).
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    country: Mapped[str] = mapped_column(String(2))
    language: Mapped[str] = mapped_column(String(5))
    age_band: Mapped[AgeBand] = mapped_column(enum_column(AgeBand, "tester_age_band"))
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender, "tester_gender"))
    region: Mapped[str] = mapped_column(String(80), default="", server_default="")
    device: Mapped[Device] = mapped_column(enum_column(Device, "tester_device"))
    os: Mapped[OperatingSystem] = mapped_column(enum_column(OperatingSystem, "tester_os"))
    segment: Mapped[Segment] = mapped_column(enum_column(Segment, "tester_segment"))
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    consent_source: Mapped[str] = mapped_column(String(80))
    consent_version: Mapped[str] = mapped_column(String(20))
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("length(consent_source) > 0", name="consent_source_given"),
        CheckConstraint("length(consent_version) > 0", name="consent_version_given"),
        CheckConstraint("length(country) = 2", name="country_code"),
        Index("ix_testers_reachable", "opted_out_at", "erased_at"),
    )

    @property
    def reachable(self) -> bool:
        """On the panel and willing: not opted out, not erased."""
        return self.opted_out_at is None and self.erased_at is None


class CampaignStatus(RichStrEnum):
    __moves__ = {
        "requested": frozenset({"approved", "declined"}),
        "approved": frozenset({"running", "closed"}),
        "running": frozenset({"closed"}),
        "declined": frozenset(),
        "closed": frozenset(),
    }
    __refusals__ = {
        "requested": _l("Program staff have not approved this campaign yet."),
        "approved": _l("This campaign is approved; send its first wave of invitations."),
        "running": _l("This campaign is running; it can only be closed."),
        "declined": _l("This campaign was declined."),
        "closed": _l("This campaign is closed."),
    }

    REQUESTED = "requested", _l("Awaiting approval"), "text-bg-warning"
    APPROVED = "approved", _l("Approved"), "text-bg-info"
    RUNNING = "running", _l("Running"), "text-bg-primary"
    DECLINED = "declined", _l("Declined"), "text-bg-danger"
    CLOSED = "closed", _l("Closed"), "text-bg-dark"


class QuestionKind(RichStrEnum):
    TEXT = "text", _l("Free text")
    SINGLE = "single", _l("One choice")
    MULTIPLE = "multiple", _l("Several choices")
    SCALE = "scale", _l("Scale 1–5")


MAX_QUESTIONS = 5


class Campaign(db.Model):
    """A startup's test with the panel: what to test, whom, how many answers, the questions."""

    __tablename__ = "test_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(160))
    test_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: Who may be invited: attribute -> allowed values (an attribute left out allows all).
    criteria: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    #: [{"attribute": "os", "value": "ios", "at_least": 40}, ...]
    quotas: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    responses_wanted: Mapped[int] = mapped_column()
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    #: The startup's own questions: [{"kind": "single", "text": "...", "choices": [...]}]
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[CampaignStatus] = mapped_column(
        enum_column(CampaignStatus, "campaign_status"), default=CampaignStatus.REQUESTED
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    #: The seed of the fair selection, drawn once: every wave is reproducible.
    selection_seed: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    startup: Mapped[Startup] = relationship(lazy="raise")
    cohort: Mapped[Cohort] = relationship(lazy="raise")

    __table_args__ = (
        CheckConstraint("length(title) > 0", name="title_given"),
        CheckConstraint(
            "responses_wanted > 0 AND responses_wanted <= 5000", name="responses_in_range"
        ),
        CheckConstraint("opens_on <= closes_on", name="dates_in_order"),
        CheckConstraint(
            "status <> 'declined' OR length(decline_reason) > 0", name="declined_has_reason"
        ),
        CheckConstraint("status = 'requested' OR decided_at IS NOT NULL", name="decided_has_time"),
        Index("ix_test_campaigns_status", "status"),
    )


class CampaignInvitation(db.Model):
    """One tester invited to one campaign: their personal link (hashed) and its life."""

    __tablename__ = "test_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("test_campaigns.id"))
    tester_id: Mapped[int] = mapped_column(ForeignKey("testers.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    wave: Mapped[int] = mapped_column(default=1)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    campaign: Mapped[Campaign] = relationship(lazy="raise")
    tester: Mapped[Tester] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("campaign_id", "tester_id", name="uq_test_invitations_campaign_tester"),
        CheckConstraint("wave >= 1", name="wave_positive"),
    )


class Response(db.Model):
    """A tester's answers to a campaign's questionnaire; answering again updates it."""

    __tablename__ = "test_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("test_invitations.id"), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("test_campaigns.id"), index=True)
    #: The 10 SUS answers, 1–5 each, in the standard order.
    sus: Mapped[list[int]] = mapped_column(JSON, default=list)
    sus_score: Mapped[float | None] = mapped_column()
    nps: Mapped[int | None] = mapped_column()
    #: The startup's own questions' answers, by position: str, [str], or int (scale).
    answers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    invitation: Mapped[CampaignInvitation] = relationship(lazy="raise")

    __table_args__ = (
        CheckConstraint("nps IS NULL OR (nps >= 0 AND nps <= 10)", name="nps_range"),
        CheckConstraint(
            "sus_score IS NULL OR (sus_score >= 0 AND sus_score <= 100)", name="sus_range"
        ),
    )
