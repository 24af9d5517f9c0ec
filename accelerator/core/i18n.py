"""Translations looked up once per request, and the templates' `_()` without the detours.

Flask-Babel finds the context, the locale and the domain again for every string through
Flask's context proxies, and Jinja's newstyle `_()` goes through two context calls and always
formats its result. A page translates tens to hundreds of strings (labels in each row): that
was a tenth of a list page's time and a fifth of the layout's. Here the request's translations
are found once (kept beside Flask-Babel's own per-request state, so a locale changed during the
request is followed), and the templates' functions behave as Jinja's newstyle ones: the string
is escaped as Markup in autoescaped templates and formatted with its variables (`%%` reads `%`).
They take the evaluation context only (all they read is whether it autoescapes): a function
taking the whole context is handed a copy of it, made anew for each call inside a loop or block.
"""

from __future__ import annotations

from typing import Any

from babel.support import NullTranslations
from flask import Flask
from flask.globals import _cv_app
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

_NULL = NullTranslations()


def translations() -> NullTranslations:
    """The current request's translations (Flask-Babel's), found once per request and locale."""
    app_context = _cv_app.get(None)
    if app_context is None:
        return _NULL
    state = app_context.g.__dict__.get("_flask_babel")  # Flask-Babel's per-context namespace
    if state is not None:
        cached = state.__dict__.get("accelerator_translations")
        locale = state.__dict__.get("babel_locale")
        if cached is not None and locale is not None and cached[0] is locale:
            return cached[1]
    found = get_translations()  # makes the namespace and picks the locale if need be
    state = app_context.g.__dict__.get("_flask_babel")
    if state is not None:
        state.accelerator_translations = (state.__dict__.get("babel_locale"), found)
    return found


def current_locale():
    """flask_babel.get_locale, without its proxies once the request's locale is chosen."""
    app_context = _cv_app.get(None)
    if app_context is not None:
        state = app_context.g.__dict__.get("_flask_babel")
        if state is not None:
            locale = state.__dict__.get("babel_locale")
            if locale is not None:
                return locale
    return get_locale()


def gettext(string: str, **variables: Any) -> str:
    """flask_babel.gettext, with the request's translations found once."""
    translated = translations().ugettext(string)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """flask_babel.ngettext, with the request's translations found once."""
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def _formatted(context: EvalContext, text: str, variables: dict[str, Any]) -> str:
    if context.autoescape:
        text = Markup(text)  # noqa: S704  (a catalog string is trusted HTML, as in Jinja's own)
    # As Jinja's newstyle gettext: always a format string (a text with no % is itself).
    return text % variables if "%" in text else text


@pass_eval_context
def _template_gettext(context: EvalContext, string: str, /, **variables: Any) -> str:
    return _formatted(context, translations().ugettext(string), variables)


@pass_eval_context
def _template_ngettext(
    context: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    variables.setdefault("num", num)
    return _formatted(context, translations().ungettext(singular, plural, num), variables)


@pass_eval_context
def _template_pgettext(context: EvalContext, message_context: str, string: str, /, **variables):
    variables.setdefault("context", message_context)
    return _formatted(context, translations().upgettext(message_context, string), variables)


@pass_eval_context
def _template_npgettext(
    context: EvalContext,
    message_context: str,
    singular: str,
    plural: str,
    num: int,
    /,
    **variables: Any,
) -> str:
    variables.setdefault("context", message_context)
    variables.setdefault("num", num)
    found = translations().unpgettext(message_context, singular, plural, num)
    return _formatted(context, found, variables)


def install_template_gettext(app: Flask) -> None:
    """The templates' `_`, `gettext`, `ngettext`, `pgettext`, `npgettext` and `{% trans %}`."""
    app.jinja_env.newstyle_gettext = True  # type: ignore[attr-defined]
    app.jinja_env.globals.update(
        _=_template_gettext,
        gettext=_template_gettext,
        ngettext=_template_ngettext,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
    )
