"""One declaration of the startup profile's and the application's fields, with their labels.

The forms are built from these lists (forms.py makes one form field per declared field, by its
kind); the profile and answer services, the export, the CSV import (its mapping form, the
header names it recognises and the reasons a row is refused), the answers partial and the
history sentences iterate them. Adding a field is: the model and a migration, one line here,
the template that shows it, and a test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

#: How long a one-line answer and a long answer may be.
MAX_LINE = 200
MAX_TEXT = 5000
#: Ten trillion in any currency: anything above is a typo.
MAX_MONEY_CENTS = 10**15
MAX_COUNT = 10**12


@dataclass(frozen=True)
class Field:
    key: str  # the model attribute
    label: Any  # lazy: translated when shown
    #: line, text, url, country, sector, stage, year, count, money, currency, tags (and, for
    #: what only an import fills: email, datetime)
    kind: str = "text"
    required: bool = False
    section: str = "company"
    export: str | None = None  # its column in exports, when not derived from the key
    max_length: int | None = None  # for line and text
    bounds: tuple[int, int] | None = None  # for count: the smallest and largest value
    help: Any = None  # the form's help text
    aliases: tuple[str, ...] = ()  # header names other tools give it (the CSV import)
    import_label: Any = None  # its name on the import's mapping form, when it needs a hint

    @property
    def short(self) -> str:
        """Its key without the unit: people type amounts, the model keeps cents. The CSV
        import's mapping is keyed by it."""
        return self.key.removesuffix("_cents")

    @property
    def column(self) -> str:
        """Its name in exports (money columns hold amounts, not cents)."""
        return self.export or self.short

    @property
    def import_name(self) -> Any:
        return self.import_label or self.label


#: The startup profile, in the order of its form.
STARTUP_FIELDS: tuple[Field, ...] = (
    Field(
        "name",
        _l("Startup name"),
        "line",
        required=True,
        export="startup",
        max_length=120,
        aliases=(
            "startup name",
            "startup",
            "company name",
            "company",
            "name",
            "organisation",
            "organization",
            "nom de la startup",
        ),
    ),
    Field(
        "website",
        _l("Website"),
        "url",
        max_length=300,
        aliases=("website", "web site", "url", "site", "site web", "company website"),
    ),
    Field(
        "country",
        _l("Country"),
        "country",
        required=True,
        aliases=("country", "pays", "hq country", "country code", "location"),
        import_label=_l("Country (ISO code or name)"),
    ),
    Field(
        "sector",
        _l("Sector"),
        "sector",
        required=True,
        aliases=("sector", "industry", "secteur", "vertical", "market"),
    ),
    Field(
        "stage",
        _l("Stage"),
        "stage",
        required=True,
        aliases=("stage", "funding stage", "company stage"),
    ),
    Field(
        "founded_year",
        _l("Founding year"),
        "year",
        aliases=("founded year", "founded", "founding year", "year founded", "year of creation"),
    ),
    Field(
        "team_size",
        _l("Team size"),
        "count",
        bounds=(1, 100_000),
        aliases=("team size", "employees", "headcount", "number of employees"),
    ),
    Field(
        "description",
        _l("Short description"),
        "text",
        required=True,
        max_length=1000,
        help=_l("Two or three sentences: what you make, for whom."),
        aliases=("description", "short description", "about", "summary", "pitch"),
    ),
)
#: The expertise a startup needs (tags, a many-to-many beside the columns above).
NEEDS = Field(
    "needs", _l("What expertise do you need?"), "tags", help=_l("Mentors will be matched on these.")
)
PROFILE_KEYS = tuple(f.key for f in STARTUP_FIELDS)
REQUIRED_PROFILE_KEYS = tuple(f.key for f in STARTUP_FIELDS if f.required)


def _answer(key, label, help=None, *, section, aliases=(), **more) -> Field:
    """A long answer of the application form (blank in a draft, never too long)."""
    return Field(
        key, label, "text", section=section, max_length=MAX_TEXT, help=help, aliases=aliases, **more
    )


#: The application's answers, in the order of the form's sections.
APPLICATION_FIELDS: tuple[Field, ...] = (
    Field(
        "one_liner",
        _l("Your company in one sentence"),
        "line",
        section="company",
        max_length=MAX_LINE,
        aliases=("one liner", "tagline", "elevator pitch"),
    ),
    _answer(
        "problem",
        _l("The problem"),
        _l("Who has it, and how do they cope today?"),
        section="problem",
        aliases=("problem", "the problem"),
    ),
    _answer(
        "solution",
        _l("Your solution"),
        _l("What you built and why it is better."),
        section="problem",
        aliases=("solution", "your solution", "product"),
    ),
    _answer(
        "traction",
        _l("Traction"),
        _l("Customers, pilots, growth: the facts behind the numbers."),
        section="traction",
        aliases=("traction",),
    ),
    Field(
        "monthly_revenue_cents",
        _l("Monthly revenue"),
        "money",
        section="traction",
        help=_l("Last full month; 0 if none yet."),
        aliases=("monthly revenue", "mrr", "revenue", "monthly recurring revenue"),
    ),
    Field(
        "active_users",
        _l("Active users"),
        "count",
        section="traction",
        bounds=(0, MAX_COUNT),
        help=_l("Monthly active users or customers."),
        aliases=("active users", "users", "mau", "customers"),
    ),
    Field(
        "currency",
        _l("Currency of these amounts"),
        "currency",
        section="traction",
        aliases=("currency", "devise"),
        import_label=_l("Currency (USD, EUR, ...)"),
    ),
    _answer(
        "team",
        _l("Team"),
        _l("Founders and key people: background and roles."),
        section="team",
        aliases=("team", "team description"),
    ),
    Field(
        "funding_raised_cents",
        _l("Funding raised so far"),
        "money",
        section="team",
        help=_l("Total equity and grants; 0 if none."),
        aliases=("funding raised", "total raised", "funding", "raised", "amount raised"),
    ),
    _answer(
        "program_goals",
        _l("What you want from the program"),
        section="goals",
        aliases=("program goals", "goals", "why this program", "expectations"),
    ),
    _answer(
        "business_unit_asks",
        _l("What you want from the company's business units"),
        _l("Pilots, data, distribution, introductions..."),
        section="goals",
        aliases=("business unit asks", "bu asks", "business units", "asks"),
    ),
)
ANSWER_KEYS = tuple(f.key for f in APPLICATION_FIELDS)

#: Whom to contact at an imported startup (it has no founder account yet): only an import
#: fills these.
CONTACT_FIELDS: tuple[Field, ...] = (
    Field(
        "contact_name",
        _l("Contact name"),
        "line",
        max_length=120,
        aliases=("contact name", "founder name", "founder", "full name", "applicant"),
    ),
    Field(
        "contact_email",
        _l("Contact email"),
        "email",
        aliases=("contact email", "email", "e mail", "founder email", "applicant email"),
    ),
)
#: When an imported application was submitted, in the tool it comes from.
SUBMITTED_AT = Field(
    "submitted_at",
    _l("Submitted at"),
    "datetime",
    aliases=(
        "submitted at",
        "submitted",
        "submission date",
        "date submitted",
        "created at",
        "date",
    ),
)
#: What an imported row can fill, in the order of the import's mapping form.
IMPORT_FIELDS: tuple[Field, ...] = (
    *STARTUP_FIELDS,
    *CONTACT_FIELDS,
    *APPLICATION_FIELDS,
    SUBMITTED_AT,
)

#: The sections of the form and of every read-only copy of the answers.
SECTIONS: tuple[tuple[str, Any], ...] = (
    ("company", _l("Company")),
    ("problem", _l("Problem and solution")),
    ("traction", _l("Traction")),
    ("team", _l("Team and funding")),
    ("goals", _l("What the startup wants")),
)

_BY_KEY = {f.key: f for f in (*STARTUP_FIELDS, NEEDS, *APPLICATION_FIELDS, *CONTACT_FIELDS)}


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
