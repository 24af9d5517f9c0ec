"""The Content-Security-Policy says `style-src 'self'`: a browser ignores every inline style
attribute, so a template that writes one draws something else than its author saw (a progress
bar stays empty). None may."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_STYLE = re.compile(r"""<[^>]*\sstyle\s*=""", re.IGNORECASE)


def test_the_policy_forbids_inline_styles(client):
    policy = client.get("/healthz").headers.get("Content-Security-Policy", "") or client.get(
        "/"
    ).headers.get("Content-Security-Policy", "")
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy


def test_no_template_writes_an_inline_style():
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if INLINE_STYLE.search(line)
    ]
    assert not found, f"inline styles (ignored under the CSP): {found}"
