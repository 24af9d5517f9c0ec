"""Fixtures for the API tests: a JSON client that sends a user's bearer token."""

from __future__ import annotations

import pytest

from tests import factories


class ApiCaller:
    """`api.get(url, as_=user)`: the test client with `user`'s token (read and write)."""

    def __init__(self, client):
        self.client = client
        self._headers: dict[int, dict[str, str]] = {}

    def headers(self, user) -> dict[str, str]:
        if user is None:
            return {}
        if user.id not in self._headers:
            self._headers[user.id] = factories.bearer(user)
        return self._headers[user.id]

    def open(self, method: str, url: str, *, as_=None, headers=None, **kwargs):
        merged = {**self.headers(as_), **(headers or {})}
        return self.client.open(url, method=method, headers=merged, **kwargs)

    def get(self, url, **kwargs):
        return self.open("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.open("POST", url, **kwargs)

    def patch(self, url, **kwargs):
        return self.open("PATCH", url, **kwargs)


@pytest.fixture
def api(client):
    return ApiCaller(client)
