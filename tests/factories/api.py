"""Builders for personal access tokens."""

from __future__ import annotations

from accelerator.api import services

__all__ = ["make_token", "bearer"]


def make_token(user, *, scopes=("read", "write"), days: int = 90, name: str = "Test token"):
    """A token of `user` (made by themselves) and its clear text: (ApiToken, str)."""
    return services.issue_token(user, actor=user, name=name, scopes=list(scopes), days=days)


def bearer(user, *, scopes=("read", "write")) -> dict[str, str]:
    """The Authorization header of a new token of `user`."""
    _token, clear = make_token(user, scopes=scopes)
    return {"Authorization": f"Bearer {clear}"}
