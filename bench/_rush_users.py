"""The founders of `python -m bench rush`, as a locustfile (run by bench/rush.py in a process of
its own: locust patches the standard library with gevent, which the fill and the checks do
without).

Reads the plan bench/rush.py wrote (RUSH_PLAN: the cohort, each founder's signed session cookie,
the deck size, the pacing) and writes what it sent and how long each request took (RUSH_OUT).
Every locust user takes the next founder and walks them through the form as a browser does:

    GET  /calls/<cohort>/apply             apply form      (the CSRF token)
    POST /calls/<cohort>/apply             save draft      (three answers; 302 to the edit page)
    GET  /applications/<id>/edit           edit form
    POST /applications/<id>/edit           upload deck     (every answer and the 2 MB PDF)
    GET  /applications/<id>/edit           edit form
    POST /applications/<id>/edit           submit          (302 to the status page)
    GET  /applications/<id>                status page

Each POST is multipart, as the form's (an empty file part when no deck is chosen). The session
cookie the server sends back replaces the one held (the CSRF token lives in it), whatever its
Secure flag: the bench speaks plain HTTP on loopback where production has TLS in front.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import defaultdict

import gevent
from locust import HttpUser, constant_pacing, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["RUSH_PLAN"], encoding="utf-8").read())  # noqa: SIM115
OUT = os.environ["RUSH_OUT"]
FOUNDERS = iter(PLAN["founders"])
TIMEOUT = 120  # seconds; a request slower than this is an error

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
EDIT = re.compile(r"/applications/(\d+)/edit$")
SHOW = re.compile(r"/applications/(\d+)$")
SESSION = re.compile(r"(?:^|[\s,])session=([^;]+)")

#: What was sent, by founder e-mail; each request's time (ms) by name; failures by name.
SENT: dict[str, dict] = {}
TIMES: dict[str, list[float]] = defaultdict(list)
FAILURES: dict[str, int] = defaultdict(int)
SAMPLES: list[str] = []
STATE = {"started": None, "ended": None, "done": 0, "flows_failed": 0}


class FlowFailed(Exception):
    pass


def answers_of(index: int) -> tuple[dict[str, str], dict]:
    """The form values a founder types, and what the application must hold after them."""
    revenue = 1_250_000 + index * 37  # cents
    funding = 50_000_000 + index * 1_001
    users = 1_800 + index
    tag = f"founder {index:05d}"
    long = (
        "Field technicians lose hours finding the right spare part; "
        "the catalogue is 40,000 lines long and half the photos are wrong. "
    ) * 6
    long = long.strip()  # the app trims what is typed: what is sent is what must be kept
    typed = {
        "one_liner": f"Visual search for spare parts, from a phone photo ({tag}).",
        "problem": f"{long}\nSeen by {tag}: réseaux, câbles, équipements.",
        "solution": f"A visual search app that identifies parts from a photo.\n{tag}\n{long}",
        "traction": f"Three paying pilots, 40% month-on-month growth ({tag}).",
        "monthly_revenue_cents": f"{revenue // 100:,}.{revenue % 100:02d}",
        "active_users": f"{users:,}",
        "currency": "EUR",
        "team": f"Two engineers and a former telecom operations lead ({tag}).",
        "funding_raised_cents": f"{funding // 100:,}.{funding % 100:02d}",
        "program_goals": f"A pilot with a network business unit ({tag}).",
        "business_unit_asks": f"Access to field operations in two regions ({tag}).",
    }
    stored = {**typed, "monthly_revenue_cents": revenue, "funding_raised_cents": funding}
    stored["active_users"] = users
    return typed, stored


DRAFT_KEYS = ("one_liner", "problem", "solution")
EMPTY_FILE = "application/octet-stream"


def deck_of(size: int) -> bytes:
    """A 'PDF' of `size` bytes: the signature the app checks, then random bytes."""
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    tail = b"\n%%EOF\n"
    return head + os.urandom(size - len(head) - len(tail)) + tail


class Founder(HttpUser):
    wait_time = constant_pacing(PLAN["interval"])

    def on_start(self) -> None:
        self.client.trust_env = False

    @task
    def rush(self) -> None:
        founder = next(FOUNDERS, None)
        if founder is None:
            raise StopUser()
        if STATE["started"] is None:
            STATE["started"] = time.time()
        try:
            self._apply(founder)
        except FlowFailed as error:
            STATE["flows_failed"] += 1
            SENT.setdefault(founder["email"], {})["failed"] = str(error)
        finally:
            STATE["done"] += 1
            STATE["ended"] = time.time()
            if STATE["done"] == len(PLAN["founders"]):
                gevent.spawn(self.environment.runner.quit)

    # --- one founder -----------------------------------------------------------------------

    def _apply(self, founder: dict) -> None:
        self.cookie = founder["cookie"]
        typed, stored = answers_of(founder["index"])
        record = SENT[founder["email"]] = {"index": founder["index"], "stored": stored}
        apply_path = f"/calls/{PLAN['cohort_id']}/apply"

        token = self._form("apply form", apply_path)
        draft = {key: typed[key] for key in DRAFT_KEYS}
        location = self._post("save draft", apply_path, token, draft, button="save")
        match = EDIT.search(location)
        if not match:
            raise FlowFailed(f"save draft went to {location!r}")
        application_id = int(match.group(1))
        record["application_id"] = application_id
        edit_path = f"/applications/{application_id}/edit"

        token = self._form("edit form", edit_path)
        deck = deck_of(PLAN["deck_bytes"])
        record["sha256"] = hashlib.sha256(deck).hexdigest()
        record["size"] = len(deck)
        location = self._post("upload deck", edit_path, token, typed, button="save", deck=deck)
        if not location.endswith(edit_path):
            raise FlowFailed(f"upload deck went to {location!r}")
        del deck

        token = self._form("edit form", edit_path)
        location = self._post("submit", edit_path, token, typed, button="submit")
        if not SHOW.search(location):
            raise FlowFailed(f"submit went to {location!r}")
        self._get("status page", f"/applications/{application_id}")
        record["submitted"] = True

    def _headers(self) -> dict[str, str]:
        return {"Cookie": f"session={self.cookie}", "User-Agent": PLAN["user_agent"]}

    def _keep_cookie(self, response) -> None:
        for value in response.raw.headers.getlist("Set-Cookie"):
            match = SESSION.search(value)
            if match:
                self.cookie = match.group(1)

    def _checked(self, response, name: str, expected: int) -> None:
        """Keep the session cookie; a status other than `expected` fails the founder's flow."""
        self._keep_cookie(response)
        if response.status_code != expected:
            where = response.headers.get("Location", "")
            response.failure(f"{name}: {response.status_code} {where}".rstrip())
            raise FlowFailed(f"{name} answered {response.status_code}")
        response.success()

    def _get(self, name: str, path: str) -> str:
        with self.client.get(
            path,
            name=name,
            headers=self._headers(),
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            self._checked(response, name, 200)
            return response.text

    def _form(self, name: str, path: str) -> str:
        html = self._get(name, path)
        match = CSRF.search(html)
        if not match:
            raise FlowFailed(f"{name}: no CSRF token in the page")
        return match.group(1) or match.group(2)

    def _post(
        self, name: str, path: str, token: str, answers: dict, *, button: str, deck=None
    ) -> str:
        data = {"csrf_token": token, **answers, button: "1"}
        # Without a deck, an empty file part: what a browser sends for a file input left empty.
        upload = ("deck.pdf", deck, "application/pdf") if deck else ("", b"", EMPTY_FILE)
        with self.client.post(
            path,
            name=name,
            data=data,
            files={"pitch_deck": upload},
            headers=self._headers(),
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            self._checked(response, name, 302)
            return response.headers.get("Location", "")


@events.request.add_listener
def _timed(request_type, name, response_time, response_length, exception=None, **_kw) -> None:
    TIMES[name].append(response_time)
    if exception is not None:
        FAILURES[name] += 1
        if len(SAMPLES) < 20:
            SAMPLES.append(f"{request_type} {name}: {exception}")


@events.quitting.add_listener
def _write(environment, **_kw) -> None:
    with open(OUT, "w", encoding="utf-8") as out:  # noqa: PTH123
        json.dump(
            {
                "sent": SENT,
                "times_ms": TIMES,
                "failures": FAILURES,
                "samples": SAMPLES,
                "started": STATE["started"],
                "ended": STATE["ended"],
                "founders_done": STATE["done"],
                "flows_failed": STATE["flows_failed"],
            },
            out,
        )
