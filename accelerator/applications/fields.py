"""One declaration of the startup profile's and the application's fields, with their labels.

The forms take their labels from here; the profile service, the export, the CSV import, the
answers partial and the history sentences iterate these lists. Adding a field to the profile
is: the model and a migration, one line here, the form field, and a test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Field:
    key: str  # the model attribute
    label: Any  # lazy: translated when shown
    kind: str = "text"  # line, text, url, country, sector, stage, year, count, money, currency
    required: bool = False
    section: str = "company"
    export: str | None = None  # its column in exports, when not derived from the key

    @property
    def column(self) -> str:
        """Its name in exports (money columns hold amounts, not cents)."""
        return self.export or self.key.removesuffix("_cents")


#: The startup profile, in the order of its form.
STARTUP_FIELDS: tuple[Field, ...] = (
    Field("name", _l("Startup name"), "line", required=True, export="startup"),
    Field("website", _l("Website"), "url"),
    Field("country", _l("Country"), "country", required=True),
    Field("sector", _l("Sector"), "sector", required=True),
    Field("stage", _l("Stage"), "stage", required=True),
    Field("founded_year", _l("Founding year"), "year"),
    Field("team_size", _l("Team size"), "count"),
    Field("description", _l("Short description"), "text", required=True),
)
#: The expertise a startup needs (tags, a many-to-many beside the columns above).
NEEDS = Field("needs", _l("What expertise do you need?"), "tags")
PROFILE_KEYS = tuple(f.key for f in STARTUP_FIELDS)
REQUIRED_PROFILE_KEYS = tuple(f.key for f in STARTUP_FIELDS if f.required)

#: The application's answers, in the order of the form's sections.
APPLICATION_FIELDS: tuple[Field, ...] = (
    Field("one_liner", _l("Your company in one sentence"), "line", section="company"),
    Field("problem", _l("The problem"), section="problem"),
    Field("solution", _l("Your solution"), section="problem"),
    Field("traction", _l("Traction"), section="traction"),
    Field("monthly_revenue_cents", _l("Monthly revenue"), "money", section="traction"),
    Field("active_users", _l("Active users"), "count", section="traction"),
    Field("currency", _l("Currency of these amounts"), "currency", section="traction"),
    Field("team", _l("Team"), section="team"),
    Field("funding_raised_cents", _l("Funding raised so far"), "money", section="team"),
    Field("program_goals", _l("What you want from the program"), section="goals"),
    Field(
        "business_unit_asks",
        _l("What you want from the company's business units"),
        section="goals",
    ),
)
ANSWER_KEYS = tuple(f.key for f in APPLICATION_FIELDS)

#: The sections of the form and of every read-only copy of the answers.
SECTIONS: tuple[tuple[str, Any], ...] = (
    ("company", _l("Company")),
    ("problem", _l("Problem and solution")),
    ("traction", _l("Traction")),
    ("team", _l("Team and funding")),
    ("goals", _l("What the startup wants")),
)

_BY_KEY = {f.key: f for f in (*STARTUP_FIELDS, NEEDS, *APPLICATION_FIELDS)}


def field(key: str) -> Field:
    return _BY_KEY[key]


def label(key: str) -> str:
    """A field's label for people (the key itself for a field this list does not know)."""
    known = _BY_KEY.get(key)
    return str(known.label) if known else key.replace("_", " ")


def answer_sections() -> list[tuple[str, Any, list[Field]]]:
    """(key, title, fields) of each section; the profile's fields open the company section."""
    sections = []
    for key, title in SECTIONS:
        fields = [f for f in APPLICATION_FIELDS if f.section == key and f.kind != "currency"]
        if key == "company":
            fields = [*STARTUP_FIELDS, NEEDS, *fields]
        sections.append((key, title, fields))
    return sections
