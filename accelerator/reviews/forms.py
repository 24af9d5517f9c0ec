"""Review forms: one per action. The review form is built per cohort from its criteria."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from accelerator.core.forms import BoundedIntegerField, choices
from accelerator.core.urls import bounded_int
from accelerator.reviews.assignment import MAX_REVIEWERS_PER_APPLICATION
from accelerator.reviews.models import (
    FEEDBACK_TAGS,
    SCORE_MAX,
    SCORE_MIN,
    STAGE_TARGETS,
    Confidence,
    Outcome,
    Recommendation,
    Review,
)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _required_radio(label, pairs, message):
    values = [value for value, _label in pairs]
    return RadioField(
        label,
        choices=choices(pairs),
        validate_choice=False,
        validators=[InputRequired(message=message), AnyOf(values, message=message)],
    )


class StageMoveForm(FlaskForm):
    """Bulk move on the pipeline: the checked applications go to one stage."""

    target = SelectField(
        _l("Move selected to"),
        choices=choices((s.value, s.lazy_label) for s in STAGE_TARGETS),
        validators=[DataRequired()],
    )
    application_ids = SelectMultipleField(
        _l("Applications"),
        coerce=bounded_int,
        validate_choice=False,
        validators=[DataRequired(message=_l("Select at least one application."))],
    )
    submit = SubmitField(_l("Move"))


class AutoAssignForm(FlaskForm):
    per_application = BoundedIntegerField(
        _l("Reviewers per application"),
        validators=[
            InputRequired(message=_l("Say how many reviewers each application needs.")),
            NumberRange(min=1, max=MAX_REVIEWERS_PER_APPLICATION),
        ],
    )
    reviewers = MultiCheckboxField(
        _l("Among these reviewers"),
        coerce=bounded_int,
        validators=[DataRequired(message=_l("Choose at least one reviewer."))],
    )
    submit = SubmitField(_l("Assign automatically"))


class AssignForm(FlaskForm):
    reviewer = SelectField(
        _l("Reviewer"),
        coerce=bounded_int,
        validators=[DataRequired(message=_l("Choose a reviewer."))],
    )
    back = HiddenField()  # the page the assignment was made from
    submit = SubmitField(_l("Assign"))


class PanelForm(FlaskForm):
    mentor = SelectField(
        _l("Add a mentor as reviewer"),
        coerce=bounded_int,
        validators=[DataRequired(message=_l("Choose a mentor."))],
    )
    submit = SubmitField(_l("Add to the panel"))


class DeclarationForm(FlaskForm):
    conflict = _required_radio(
        _l("Do you have a conflict of interest with this startup?"),
        [
            ("none", _l("No conflict: I can review it fairly")),
            ("conflict", _l("Conflict of interest (I know the founders, invest, compete, ...)")),
        ],
        _l("Choose one."),
    )
    reason = TextAreaField(
        _l("Reason (for staff, if you declare a conflict)"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Continue"))

    def validate_reason(self, field) -> None:
        if self.conflict.data == "conflict" and not (field.data or "").strip():
            raise ValidationError(_l("Say briefly why there is a conflict."))


class ReviewFormBase(FlaskForm):
    recommendation = _required_radio(
        _l("Recommendation"),
        [
            (r.value, label)
            for r, label in zip(Recommendation, (_l("Yes"), _l("Maybe"), _l("No")), strict=True)
        ],
        _l("Choose yes, maybe or no."),
    )
    confidence = _required_radio(
        _l("Confidence"),
        [
            (c.value, label)
            for c, label in zip(Confidence, (_l("Low"), _l("Medium"), _l("High")), strict=True)
        ],
        _l("Say how confident you are."),
    )
    comment = TextAreaField(
        _l("Comment for staff"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Only staff see this; the startup never does."),
        render_kw={"rows": 4},
    )
    feedback_tags = MultiCheckboxField(
        _l("Feedback for the startup (optional)"),
        choices=choices(FEEDBACK_TAGS),
        description=_l("Shown to the startup if it is not accepted, without your name."),
    )
    submit = SubmitField(_l("Save review"))

    criteria: list[dict] = []

    def criterion_fields(self):
        return [(c, self[f"criterion_{i}"]) for i, c in enumerate(self.criteria)]

    def scores(self) -> dict[str, int]:
        return {c["key"]: field.data for c, field in self.criterion_fields()}

    def review(self) -> dict:
        """What the review service takes: the scores, the opinion and the feedback."""
        return {
            "scores": self.scores(),
            "recommendation": self.recommendation.data,
            "confidence": self.confidence.data,
            "comment": self.comment.data,
            "feedback_tags": self.feedback_tags.data or [],
        }


SCORE_PAIRS = [(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]


def review_form_class(criteria: list[dict]) -> type[ReviewFormBase]:
    """A review form with one 1-5 score field per criterion of the cohort."""
    message = _l("Give a score from 1 to 5.")
    fields = {"criteria": criteria}
    for index, criterion in enumerate(criteria):
        fields[f"criterion_{index}"] = RadioField(
            criterion["name"],
            choices=choices(SCORE_PAIRS),
            coerce=bounded_int,
            validate_choice=False,
            validators=[
                InputRequired(message=message),
                NumberRange(min=SCORE_MIN, max=SCORE_MAX, message=message),
            ],
        )
    return type("ReviewForm", (ReviewFormBase,), fields)


def review_form_for(criteria: list[dict], existing: Review | None) -> ReviewFormBase:
    """The review form of a cohort's criteria, holding the reviewer's saved review if any."""
    form_class = review_form_class(criteria)
    if existing is None:
        return form_class()
    scores = existing.score_map()
    return form_class(
        data={f"criterion_{i}": scores.get(c["key"]) for i, c in enumerate(criteria)},
        recommendation=existing.recommendation.value,
        confidence=existing.confidence.value,
        comment=existing.comment,
        feedback_tags=list(existing.feedback_tags or []),
    )


class DecisionForm(FlaskForm):
    outcome = _required_radio(
        _l("Decision"),
        [
            (Outcome.ACCEPTED.value, _l("Accept: offer a place")),
            (Outcome.WAITLISTED.value, _l("Waitlist")),
            (Outcome.REJECTED.value, _l("Reject")),
        ],
        _l("Choose accept, waitlist or reject."),
    )
    note = TextAreaField(
        _l("Note to the startup (optional)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Sent in the decision email and shown on the startup's status page."),
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Record decision"))
