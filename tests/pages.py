"""Every page a signed-in person can open, found from `app.url_map` and the data in the database.

`pages(app, open_url)` takes each GET route of the app (as tests/test_access_matrix.py walks
them) and fills its ids from the rows of the model the argument names (`cohort_id`: cohorts,
`session_id`: mentor sessions...), trying them in order until the page answers 200 with HTML
for whoever `open_url` is signed in as. A 403 or a redirect to sign in ends the tries (the
route is not for this role); no page may answer 5xx. Routes with other arguments (tokens,
download formats) and routes no row opens for this person are left out. `visible_text(html)`
is what a reader sees of a page (and what a screen reader says of its labels).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from werkzeug.routing import IntegerConverter

from accelerator.extensions import db

#: Not pages: files, health checks, signing out.
NOT_PAGES = {"static", "bootstrap.static", "site.healthz", "auth.logout"}
#: How many rows of a model may be tried for a route: first those the person's pages link to,
#: then up to UNLINKED others, before the route is left out for this person.
TRIED = 80
UNLINKED = 15


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str = ""
    location: str = ""
    html: str = ""  # the body of an HTML page

    @property
    def is_page(self) -> bool:
        return self.status == 200 and self.content_type.startswith("text/html")

    @property
    def refuses_role(self) -> bool:
        """Not for this person's role, whichever row it names (a row they may not see is 404)."""
        return self.status in (401, 403) or (self.status == 302 and "/login" in self.location)


Opener = Callable[[str], Answer]


def _model_for(argument: str):
    """The model an `<int:x_id>` argument names: the class called X, else the only one ending
    in X (`session_id`: MentorSession, `import_id`: ApplicationImport)."""
    stem = argument.removesuffix("_id").replace("_", "")
    classes = [m.class_ for m in db.Model.registry.mappers]
    exact = [c for c in classes if c.__name__.lower() == stem]
    ending = [c for c in classes if c.__name__.lower().endswith(stem)]
    found = exact or ending
    return found[0] if len(found) == 1 else None


def _routes(app) -> list[tuple[str, Any, str | None]]:
    """(endpoint, rule, its id argument or None) of the GET routes that may be pages."""
    routes = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in NOT_PAGES or "GET" not in (rule.methods or ()):
            continue
        converters = rule._converters  # noqa: SLF001  (werkzeug keeps them only here)
        if any(not isinstance(c, IntegerConverter) for c in converters.values()):
            continue  # a token, a file name or a download format: not a page to walk
        if len(converters) > 1:
            continue  # no route has two ids today; add a product of candidates if one does
        routes.append((rule.endpoint, rule, next(iter(converters), None)))
    return routes


def _ids(arguments: set[str]) -> dict[str, list[int]]:
    """The first rows of the model each argument names; the reading transaction then ends (on
    SQLite it holds the write lock that the pages' own requests need)."""
    ids = {}
    for argument in sorted(arguments):
        model = _model_for(argument)
        if model is None:
            raise AssertionError(f"which model does {argument} name?")
        ids[argument] = list(
            db.session.scalars(db.select(model.id).order_by(model.id).limit(TRIED))
        )
    db.session.commit()
    return ids


class _Walk:
    """One person's walk: the pages found, and the ids their links name (tried first)."""

    def __init__(self, app, open_url: Opener):
        self.adapter = app.url_map.bind("localhost")
        self.open_url = open_url
        self.found: list[tuple[str, str, Answer]] = []
        self.linked: dict[str, dict[int, None]] = {}  # argument -> ids, in the order seen

    def learn(self, html: str) -> None:
        for href in re.findall(r'href="(/[^"#?]*)', html):
            try:
                _endpoint, values = self.adapter.match(href, method="GET")
            except Exception:  # noqa: BLE001, S112  (not one of the app's pages)
                continue
            for argument, value in values.items():
                if isinstance(value, int):
                    self.linked.setdefault(argument, {})[value] = None

    def open(self, endpoint: str, url: str) -> bool | None:
        """True: a page (kept); False: not for this role or a download (stop trying the route);
        None: no page for this row (try another)."""
        answer = self.open_url(url)
        assert answer.status < 500, f"{url} answers {answer.status}"
        if answer.is_page:
            self.found.append((endpoint, url, answer))
            self.learn(answer.html)
            return True
        if answer.refuses_role or answer.status == 200:
            return False  # not for this role, or a download (a deck, a calendar file)
        return None


def pages(app, open_url: Opener) -> list[tuple[str, str, Answer]]:
    """(endpoint, url, answer) of one page per GET route that opens for the signed-in person.

    The pages without ids come first; their links (and then each found page's) name the rows
    this person sees, which are tried before the others of the table, so the walk rarely
    knocks on rows it may not open.
    """
    routes = _routes(app)
    ids = _ids({argument for _e, _r, argument in routes if argument is not None})
    walk = _Walk(app, open_url)
    for endpoint, rule, argument in routes:
        if argument is None:
            walk.open(endpoint, rule.build({})[1])
    # (endpoint, rule, argument, the rows tried) of each route with an id, until a page opens
    waiting = [(e, r, a, set()) for e, r, a in routes if a is not None]
    progress = True
    while progress:  # linked rows, until the links lead nowhere new
        progress = False
        for route in list(waiting):
            endpoint, rule, argument, tried = route
            for value in [v for v in walk.linked.get(argument, {}) if v not in tried]:
                tried.add(value)
                outcome = walk.open(endpoint, rule.build({argument: value})[1])
                if outcome is not None:
                    waiting.remove(route)
                    progress = progress or outcome
                    break
    for endpoint, rule, argument, tried in waiting:  # then a few of the table's other rows
        for value in [v for v in ids[argument] if v not in tried][:UNLINKED]:
            if walk.open(endpoint, rule.build({argument: value})[1]) is not None:
                break
    return walk.found


class _Text(HTMLParser):
    HIDDEN = {"script", "style", "template", "noscript"}
    READ = ("alt", "title", "placeholder", "aria-label")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        self.parts.extend(value for name, value in attrs if name in self.READ and value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def answer(response) -> Answer:
    """A Flask test client's response as the walk reads it."""
    html = response.content_type.startswith("text/html")
    return Answer(
        response.status_code,
        response.content_type,
        response.headers.get("Location", ""),
        response.get_data(as_text=True) if html else "",
    )


def unsigned(html: str) -> str:
    """A page without its CSRF tokens' values (the sign-out form's, every form's): each is
    signed with the second it is made, so two views of one page a second apart differ there.
    Tests comparing a kept page with its first view compare them this way."""
    return re.sub(r'(name="[\w-]*csrf_token"[^>]*value=")[^"]*', r"\1", html)
