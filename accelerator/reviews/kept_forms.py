"""Forms inside a staff page's kept content (core.cache.kept_body): the buttons and the bulk-move
form of the pipeline and the decisions page are the same for every staff member, all but their
CSRF token, which is personal. The content is rendered with a slot where the token goes
(`without_token(form)` stands for the form), kept, and `with_token` puts this viewer's token in
the slot on every view: nothing personal is kept."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

#: Where a kept body's forms have their hidden tag (a comment no escaped text can contain).
TOKEN_SLOT = Markup("<!--csrf-token-->")


class _WithoutToken:
    """A form as a kept body renders it: its fields, and the slot instead of its token."""

    def __init__(self, form: Any) -> None:
        self._form = form

    def __getattr__(self, name: str) -> Any:
        return getattr(self._form, name)

    def hidden_tag(self) -> Markup:
        return TOKEN_SLOT


def without_token(form: Any) -> Any:
    """`form` for a kept body: `hidden_tag()` gives the slot, the rest is the form's own."""
    return _WithoutToken(form)


def with_token(body: Markup, form: Any) -> Markup:
    """The kept `body` with `form`'s hidden tag (this viewer's token) in every slot."""
    return Markup(body.replace(TOKEN_SLOT, form.hidden_tag()))  # noqa: S704 - ours, escaped
