"""The French catalog is complete: every string the app shows is extracted, translated and not
fuzzy, and no template shows text that bypasses `_()`.

When this fails after adding strings: `make messages`, fill the new `msgstr`s in
accelerator/translations/fr/LC_MESSAGES/messages.po (and drop their `fuzzy` flags).
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
FRENCH = ROOT / "accelerator" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
#: Words a template may show as they are: the product's name and file formats.
LITERAL_WORDS = {"Accelerator", "CSV", "XLSX"}

_JINJA = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", re.S)
_BLOCKS = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]*>", re.S)
_ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")
_TEXT_ATTRIBUTE = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"')
_WORD = re.compile(r"[^\W\d_]{2,}")


def _catalog():
    with FRENCH.open("rb") as handle:
        return read_po(handle, locale="fr")


def _msgid(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def test_every_french_entry_is_translated_and_not_fuzzy():
    problems = []
    for message in _catalog():
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {_msgid(message)!r}")
        elif not all(strings):
            problems.append(f"untranslated: {_msgid(message)!r}")
    assert not problems, "\n".join(problems)


def test_every_string_of_the_app_is_in_the_catalog():
    known = {_msgid(message) for message in _catalog() if message.id}
    methods = [
        ("accelerator/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
    ]
    missing = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map=methods,
        keywords=KEYWORDS,
        # Babel skips "_" directories by default, and templates/_macros holds the pager.
        directory_filter=lambda path: (
            not Path(path).name.startswith(".") and Path(path).name != "__pycache__"
        ),
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid and msgid not in known:
            missing.add(msgid)
    assert not missing, "strings missing from the French catalog (run make messages):\n" + (
        "\n".join(sorted(missing))
    )


def _untranslated_text(source: str) -> list[str]:
    source = _BLOCKS.sub(" ", _JINJA.sub("\x00", source))
    found = [
        value
        for value in _TEXT_ATTRIBUTE.findall(source)
        if set(_WORD.findall(value.replace("\x00", " "))) - LITERAL_WORDS
    ]
    text = _ENTITY.sub(" ", _TAG.sub(" ", source))
    for chunk in text.split("\x00"):
        if set(_WORD.findall(chunk)) - LITERAL_WORDS:
            found.append(" ".join(chunk.split()))
    return found


def test_templates_show_no_text_outside_gettext():
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for text in _untranslated_text(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(ROOT)}: {text!r}")
    assert not problems, "text outside _():\n" + "\n".join(problems)


def test_the_template_check_finds_bare_text():
    assert _untranslated_text('<p>{{ _("Fine") }}</p><p>Not translated</p>') == ["Not translated"]
    assert _untranslated_text('<a aria-label="Close" href="{{ url }}">x</a>') == ["Close"]
    assert _untranslated_text("<span>Accelerator · CSV</span>{# Comments are fine #}") == []
