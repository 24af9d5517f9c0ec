"""Milestone and check-in forms, one per action. Money is typed in currency units."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from accelerator.core.forms import BoundedIntegerField, MoneyField, choices
from accelerator.milestones.checkins import KPI_FIELDS, CheckinInput
from accelerator.milestones.models import Cadence, Health
from accelerator.milestones.plans import TemplateInput

TEXT = {"rows": 3}


def _empty(field) -> bool:
    return not field.raw_data or all(not str(v).strip() for v in field.raw_data)


class TemplateForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the milestone a title.")), Length(max=160)],
    )
    due_week = BoundedIntegerField(
        _l("Due in week"),
        validators=[InputRequired(message=_l("Enter a week number.")), NumberRange(min=1, max=104)],
        description=_l("Counted from the cohort's first day: week 1 is its first seven days."),
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)], render_kw=TEXT)
    kpi_targets = TextAreaField(
        _l("KPI targets"), validators=[Length(max=4000)], render_kw={"rows": 2}
    )
    tranche_key = SelectField(_l("Approving it releases"), validators=[Optional()])
    submit = SubmitField(_l("Save milestone"))

    def __init__(self, *args, tranches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tranche_key.choices = choices([("", _l("No grant tranche")), *tranches])

    def to_input(self) -> TemplateInput:
        return TemplateInput(
            title=self.title.data or "",
            description=self.description.data or "",
            due_week=self.due_week.data,
            kpi_targets=self.kpi_targets.data or "",
            tranche_key=self.tranche_key.data or None,
        )


class CopyPlanForm(FlaskForm):
    source = SelectField(_l("Copy the plan of"), validators=[DataRequired()])
    submit = SubmitField(_l("Copy plan"))

    def __init__(self, *args, cohorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.source.choices = choices(cohorts)


class CadenceForm(FlaskForm):
    cadence = SelectField(
        _l("Check-in cadence"),
        choices=choices((c.value, c.lazy_label) for c in Cadence),
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Save cadence"))


class AddMilestoneForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the milestone a title.")), Length(max=160)],
    )
    due_on = DateField(_l("Due on"), validators=[InputRequired(message=_l("Enter the due date."))])
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)], render_kw=TEXT)
    kpi_targets = TextAreaField(
        _l("KPI targets"), validators=[Length(max=4000)], render_kw={"rows": 2}
    )
    submit = SubmitField(_l("Add milestone"))


class MoveForm(FlaskForm):
    due_on = DateField(
        _l("New due date"), validators=[InputRequired(message=_l("Enter the due date."))]
    )
    reason = StringField(
        _l("Reason"),
        validators=[DataRequired(message=_l("Say why the date moves.")), Length(max=4000)],
    )
    submit = SubmitField(_l("Move"))


class DropForm(FlaskForm):
    reason = StringField(
        _l("Reason"),
        validators=[
            DataRequired(message=_l("Say why the milestone is dropped.")),
            Length(max=4000),
        ],
    )
    submit = SubmitField(_l("Drop milestone"))


class SubmitMilestoneForm(FlaskForm):
    evidence_text = TextAreaField(
        _l("What did you achieve?"),
        validators=[DataRequired(message=_l("Describe what you achieved.")), Length(max=4000)],
        render_kw={"rows": 5},
    )
    evidence_link = StringField(
        _l("Link (optional)"),
        validators=[Optional(), Length(max=500)],
        render_kw={"placeholder": "https://", "inputmode": "url"},
    )
    evidence_file = FileField(
        _l("Evidence (PDF, optional)"), render_kw={"accept": "application/pdf,.pdf"}
    )
    submit = SubmitField(_l("Submit for review"))


class ReviewForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[Length(max=4000)], render_kw={"rows": 2})
    approve = SubmitField(_l("Approve milestone"))
    send_back = SubmitField(_l("Send back"))


class CheckinForm(FlaskForm):
    period = SelectField(_l("Period"), validators=[DataRequired(message=_l("Choose a period."))])
    health = RadioField(
        _l("Health"),
        choices=choices((h.value, h.lazy_label) for h in Health),
        validators=[DataRequired(message=_l("Choose green, amber or red."))],
    )
    revenue = MoneyField(_l("Monthly revenue"), allow_zero=True, render_kw={"inputmode": "decimal"})
    active_users = BoundedIntegerField(_l("Active users or customers"), validators=[Optional()])
    headcount = BoundedIntegerField(_l("Headcount"), validators=[Optional()])
    raised = MoneyField(
        _l("Money raised this period"), allow_zero=True, render_kw={"inputmode": "decimal"}
    )
    pilots = BoundedIntegerField(
        _l("Pilots or contracts with business units"), validators=[Optional()]
    )
    highlights = TextAreaField(_l("Highlights"), validators=[Length(max=4000)], render_kw=TEXT)
    blockers = TextAreaField(_l("Blockers"), validators=[Length(max=4000)], render_kw=TEXT)
    asks = TextAreaField(
        _l("Asks for help"),
        validators=[Length(max=4000)],
        render_kw=TEXT,
        description=_l("What the program, a mentor or a business unit could do for you."),
    )
    submit = SubmitField(_l("Save check-in"))

    def __init__(self, *args, periods=(), **kwargs):
        """`periods`: (value, label) of the periods offered. A period posted from a stale page
        stays a choice, so the service says why it is refused (taken, not started)."""
        super().__init__(*args, **kwargs)
        offered = list(periods)
        if self.period.data and self.period.data not in dict(offered):
            offered.append((self.period.data, self.period.data))
        self.period.choices = choices(offered)

    @classmethod
    def of(cls, checkin) -> CheckinForm:
        """The form filled with a check-in, to edit it (its period cannot change)."""
        period = checkin.period_on.isoformat()
        data = {k.name.removesuffix("_cents"): getattr(checkin, k.name) for k in KPI_FIELDS}
        data.update(
            period=period,
            health=checkin.health.value,
            highlights=checkin.highlights,
            blockers=checkin.blockers,
            asks=checkin.asks,
        )
        return cls(periods=[(period, period)], formdata=None, data=data)

    def offer(self, figures: dict[str, int]) -> None:
        """Show `figures` (field name: number, money in cents) as first values: only on a new
        check-in's first page, never over what was typed."""
        for name, value in figures.items():
            getattr(self, name).process_data(value)

    @property
    def period_on(self) -> date | None:
        try:
            return date.fromisoformat(self.period.data or "")
        except ValueError:
            return None

    def to_input(self) -> CheckinInput:
        values = {}
        for kpi in KPI_FIELDS:
            field = getattr(self, kpi.name.removesuffix("_cents"))
            values[kpi.name] = field.cents if kpi.money else field.data
        for kpi in KPI_FIELDS:  # a number left empty means none
            if values[kpi.name] is None and _empty(getattr(self, kpi.name.removesuffix("_cents"))):
                values[kpi.name] = 0
        return CheckinInput(
            health=self.health.data,
            highlights=self.highlights.data or "",
            blockers=self.blockers.data or "",
            asks=self.asks.data or "",
            **values,
        )


class CommentForm(FlaskForm):
    comment = TextAreaField(
        _l("Comment for the founders"),
        validators=[DataRequired(message=_l("Write a comment.")), Length(max=4000)],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Comment"))
