"""Auth forms: one per action."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from accelerator.auth.passwords import MAX_LENGTH, password_problem
from accelerator.core.forms import ConfirmForm as ConfirmForm  # moved to core; re-exported
from accelerator.core.forms import choices
from accelerator.core.permissions import Role


def _strong_password(_form, field) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def _email_field(label=None) -> EmailField:
    return EmailField(
        label or _l("Email"),
        validators=[DataRequired(), Length(max=254), Email(check_deliverability=False)],
        filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
        render_kw={"autocomplete": "email"},
    )


def _new_password_fields():
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH), _strong_password],
        description=_l("At least 8 characters; avoid common passwords."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class SignupForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    email = _email_field()
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Create my account"))


class ForgotPasswordForm(FlaskForm):
    email = _email_field()
    submit = SubmitField(_l("Send me a reset link"))


class ResetPasswordForm(FlaskForm):
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Set new password"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH), _strong_password],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Change password"))


class InviteForm(FlaskForm):
    name = StringField(_l("Name (optional)"), validators=[Length(max=120)])
    email = _email_field()
    role = SelectField(
        _l("Role"),
        choices=choices(
            [(Role.MENTOR.value, _l("Mentor")), (Role.STAFF.value, _l("Program staff"))]
        ),
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Send invitation"))


class AcceptInvitationForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Join Accelerator"))


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=choices((r.value, r.lazy_label) for r in Role),
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Change role"))


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), validators=[DataRequired()])
    submit = SubmitField(_l("Change language"))


def _code_field(label=None) -> StringField:
    return StringField(
        label or _l("Code from your authenticator app"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("The 6 digits your app shows now."),
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )


class EnableSecondFactorForm(FlaskForm):
    code = _code_field()
    submit = SubmitField(_l("Turn on two-step verification"))


class RecoveryCodesForm(FlaskForm):
    code = _code_field()
    submit = SubmitField(_l("Make new recovery codes"))


class DisableSecondFactorForm(FlaskForm):
    code = _code_field()
    submit = SubmitField(_l("Turn off two-step verification"))
