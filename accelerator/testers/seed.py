"""The demo tester panel (the sponsor's lab'Explorers) and two campaigns (seed_data/testers.json).

2,000 testers drawn with `random.Random(2026)` from French and US name pools (Hélène Dupré,
François Lefèvre, Zoé N'Diaye, Emily Carter...), at addresses like helene.dupre.123@example.net
(reserved domains only): mostly in France and in French, the rest in the US and in English,
with age bands, genders (some prefer not to say, a few did not answer), regions (French
regions, US states), devices and systems that go together, segments, interests, and a consent
dated over the past two years with its source and text version. About 4 % opted out since.
They are inserted in bulk (one statement per batch, not 2,000 objects), panel members who
joined before the first campaign first, so no one is invited before they consented.

Two campaigns go through the services under `clock_at`, each act on its day in the program's
timezone, the mail they queue dropped (history is not news):
- Tessel Retail (Season 11, over): asked by its founder, approved, two waves of invitations,
  about 40 answers with SUS, NPS, its own questions and free text (in the tester's language),
  a few invitees unsubscribing from the link, then closed;
- Lumen Networks (Season 12, running; founder@example.org's startup): approved, one wave sent
  ten days ago, some answers in so far.
Answers are submitted with the invitation rows themselves (the clear tokens are not stored).

Idempotent and deterministic: the same testers (the same addresses) every time; a tester whose
address exists is left alone, and so is a campaign whose startup already has one by its title.
"""

from __future__ import annotations

import json
import math
import random
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from accelerator.applications.models import Startup
from accelerator.core.mail import mail_dropped
from accelerator.core.timeutil import local_to_utc, local_today, to_local
from accelerator.core.types import clock_at, utcnow
from accelerator.extensions import db
from accelerator.grants.seed import staff_pair
from accelerator.milestones.seed import demo_cohort, enrolled, founder_of
from accelerator.programs.models import Cohort, Program
from accelerator.testers import services
from accelerator.testers.fields import CampaignFields, Question, QuotaInput
from accelerator.testers.models import Campaign, CampaignInvitation, QuestionKind, Tester

#: The wall time of each act, in the program's timezone.
HOURS = {
    "requested": time(10, 20),
    "approved": time(15, 10),
    "wave": time(9, 30),
    "closed": time(18, 0),
}
BATCH = 1_000


def seed(seed_dir: Path, echo) -> int:
    path = seed_dir / "testers.json"
    if not path.exists():
        return 0
    data = json.loads(path.read_text(encoding="utf-8"))
    people = staff_pair()
    now = utcnow()
    rows = panel(data, today=now.date())
    known = set(db.session.scalars(select(Tester.email)))
    missing = [row for row in rows if row["email"] not in known]
    created = 0
    with mail_dropped():
        # The panel grows over time: those who joined before a campaign's first wave are on it
        # when the wave is chosen; opt-outs that came later are recorded after it.
        later: list[dict] = []
        for spec in data["campaigns"]:
            comments = data["comments"][spec["startup"]]
            story = _Story.find({**spec, "comments": comments}, people, echo)
            first_wave = story.first_wave() if story else None
            joined = [r for r in missing if first_wave is None or r["consent_at"] < first_wave]
            missing = [
                r for r in missing if first_wave is not None and r["consent_at"] >= first_wave
            ]
            created += _insert(joined, later, before=first_wave)
            _opt_out(later, before=first_wave)  # who left before this wave is not invited
            if story is not None:
                created += story.tell()
        created += _insert(missing, later, before=None)
        _opt_out(later, before=None)
    db.session.flush()
    return created


# --- The panel -------------------------------------------------------------------------------


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _folded(text: str) -> str:
    """'Hélène' -> 'helene', "N'Diaye" -> 'ndiaye', 'Le Gall' -> 'legall'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum() or c == "-")


def _version(offset: int, versions: list[list]) -> str:
    kept = versions[0][1]
    for since, version in versions:
        if offset >= since:
            kept = version
    return kept


def panel(data: dict, *, today: date) -> list[dict[str, Any]]:
    """The panel's rows, the same every time for the same data (random.Random(seed)); dates
    count back from `today`."""
    rng = random.Random(data["random_seed"])
    midnight = datetime.combine(today, time(0), UTC)
    first_day, last_day = data["consent"]["days"]
    rows, emails = [], set()
    for _n in range(data["size"]):
        country = _pick(rng, data["countries"])
        gender = _pick(rng, data["genders"])
        names = data["names"][country]
        pool = gender if gender in ("female", "male") else rng.choice(["female", "male"])
        first, last = rng.choice(names[pool]), rng.choice(names["last"])
        domain = _pick(rng, data["email_domains"][country])
        while True:
            email = f"{_folded(first)}.{_folded(last)}.{rng.randint(1, 999)}@{domain}"
            if email not in emails:
                emails.add(email)
                break
        segment = _pick(rng, data["segments"])
        device = _pick(rng, data["devices"][segment])
        offset = rng.randint(first_day, last_day)
        consent_at = midnight + timedelta(days=offset, seconds=rng.randint(7 * 3600, 21 * 3600))
        interests = rng.sample(data["interests"], rng.randint(1, 4))
        quits, when = rng.random() < data["opted_out_share"], rng.random()
        rows.append(
            {
                "email": email,
                "name": f"{first} {last}",
                "country": country,
                "language": _pick(rng, data["languages"][country]),
                "age_band": _pick(rng, data["age_bands"]),
                "gender": gender or None,
                "region": _pick(rng, data["regions"][country]),
                "device": device,
                "os": _pick(rng, data["os"][device][country]),
                "segment": segment,
                "interests": sorted(interests),
                "consent_at": consent_at,
                "consent_source": _pick(rng, data["consent"]["sources"][country]),
                "consent_version": _version(offset, data["consent"]["versions"]),
                "opted_out_at": _quit_at(consent_at, midnight, when) if quits else None,
                "created_at": consent_at,
                "updated_at": consent_at,
            }
        )
    return rows


def _quit_at(consent_at: datetime, midnight: datetime, when: float) -> datetime | None:
    """A moment between a week after joining and yesterday, more often recent."""
    first, last = consent_at + timedelta(days=7), midnight - timedelta(hours=6)
    if first >= last:
        return None
    return last - (last - first) * when**2


def _insert(rows: list[dict], later: list[dict], *, before: datetime | None) -> int:
    """Insert in batches; an opt-out after `before` waits in `later` (applied by _opt_out)."""
    for start in range(0, len(rows), BATCH):
        batch = []
        for row in rows[start : start + BATCH]:
            quit_at = row["opted_out_at"]
            if before is not None and quit_at is not None and quit_at >= before:
                later.append({"e": row["email"], "at": quit_at})
                row = {**row, "opted_out_at": None}
            batch.append(row)
        db.session.execute(insert(Tester), batch)
    return len(rows)


def _opt_out(later: list[dict], *, before: datetime | None) -> None:
    due = [row for row in later if before is None or row["at"] < before]
    if due:
        table = Tester.__table__  # a Core executemany (the ORM's bulk update wants ids)
        db.session.execute(
            update(table)
            .where(table.c.email == bindparam("e"))
            .values(opted_out_at=bindparam("at"), updated_at=bindparam("at")),
            due,
        )
        later[:] = [row for row in later if row not in due]


# --- Campaigns -------------------------------------------------------------------------------


class _Story:
    """One campaign told through the services, each act on its day."""

    def __init__(self, spec: dict, startup: Startup, cohort: Cohort, people) -> None:
        self.spec, self.startup = spec, startup
        self.staff = people[0]
        self.founder = founder_of(startup.id) or self.staff
        self.tz = db.session.get(Program, cohort.program_id).timezone
        self.anchor = cohort.starts_on if spec["days_from"] == "start" else local_today(self.tz)
        self.rng = random.Random(f"testers-{spec['startup']}")
        self.now = utcnow()

    @classmethod
    def find(cls, spec: dict, people, echo) -> _Story | None:
        """The story to tell, or None: told before, or its startup or staff are missing."""
        cohort = demo_cohort(spec["cohort"])
        found = {s.name: s for _e, s in enrolled(cohort)} if cohort is not None else {}
        startup = found.get(spec["startup"])
        if startup is None or people is None:
            echo(f"  testers: {spec['startup']} ({spec['cohort']}) or staff missing; no campaign.")
            return None
        if db.session.scalar(
            select(Campaign.id).where(
                Campaign.startup_id == startup.id, Campaign.title == spec["title"]
            )
        ):
            return None
        return cls(spec, startup, cohort, people)

    def day(self, offset: int) -> date:
        return self.anchor + timedelta(days=offset)

    def moment(self, offset: int, at: time) -> datetime:
        moment = local_to_utc(datetime.combine(self.day(offset), at), self.tz)
        return min(moment, self.now - timedelta(minutes=1))

    def first_wave(self) -> datetime:
        return self.moment(self.spec["waves"][0], HOURS["wave"])

    def fields(self) -> CampaignFields:
        spec = self.spec
        return CampaignFields(
            title=spec["title"],
            test_url=spec["test_url"],
            description=spec["description"],
            criteria=spec["criteria"],
            quotas=[QuotaInput(a, v, n) for a, v, n in spec["quotas"]],
            responses_wanted=spec["responses_wanted"],
            opens_on=self.day(spec["opens"]),
            closes_on=self.day(spec["closes"]),
            questions=[
                Question(q["kind"], q["text"], q.get("choices", ())) for q in spec["questions"]
            ],
        )

    def tell(self) -> int:
        spec = self.spec
        with clock_at(self.moment(spec["requested"], HOURS["requested"])):
            campaign = services.request_campaign(
                startup=self.startup, fields=self.fields(), actor=self.founder
            )
            db.session.flush()
        with clock_at(self.moment(spec["approved"], HOURS["approved"])):
            services.approve_campaign(campaign, actor=self.staff)
            # A fixed seed for the fair selection: the demo invites the same testers each time.
            campaign.selection_seed = self.rng.randrange(2**31)
            db.session.flush()
        answered: list[Tester] = []
        created = 1
        waves = spec["waves"]
        for number, offset in enumerate(waves):
            with clock_at(self.moment(offset, HOURS["wave"])):
                services.send_wave(campaign, actor=self.staff)
                db.session.flush()
            until = (
                self.moment(waves[number + 1], HOURS["wave"])
                if number + 1 < len(waves)
                else self.moment(spec.get("closed", 0), HOURS["closed"])
            )
            invited = self._invited(campaign, number + 1)
            chosen = self._respondents(invited, spec["answered_per_wave"][number], answered)
            created += self._answer(campaign, chosen, self.moment(offset, HOURS["wave"]), until)
            answered += [tester for _invitation, tester in chosen]
            if number == 0:
                self._unsubscribe(invited, chosen, self.moment(offset, HOURS["wave"]), until)
        if "closed" in spec:
            with clock_at(self.moment(spec["closed"], HOURS["closed"])):
                services.close_campaign(campaign, actor=self.founder)
                db.session.flush()
        return created

    def _invited(self, campaign: Campaign, wave: int) -> list[tuple[CampaignInvitation, Tester]]:
        rows = db.session.execute(
            select(CampaignInvitation, Tester)
            .join(Tester, Tester.id == CampaignInvitation.tester_id)
            .where(CampaignInvitation.campaign_id == campaign.id)
            .where(CampaignInvitation.wave == wave)
            .order_by(CampaignInvitation.id)
        )
        return [(invitation, tester) for invitation, tester in rows]

    def _respondents(self, invited, count: int, answered: list[Tester]):
        """`count` invitees who answer: while a quota is behind its share of the answers so far
        (as staff chasing a campaign keep it), its people first; then anyone."""
        pool = list(invited)
        self.rng.shuffle(pool)
        chosen: list = []
        share = min(1.0, (len(answered) + count) / self.spec["responses_wanted"])
        for attribute, value, at_least in self.spec["quotas"]:
            target = math.ceil(at_least * share)
            have = sum(1 for t in answered if str(getattr(t, attribute)) == value)
            for item in pool:
                if have >= target or len(chosen) >= count:
                    break
                if item not in chosen and str(getattr(item[1], attribute)) == value:
                    chosen.append(item)
                    have += 1
        chosen += [item for item in pool if item not in chosen][: count - len(chosen)]
        return chosen

    def _when(self, start: datetime, until: datetime) -> datetime:
        """Most answers come in the first days after the mail, in the daytime."""
        span = (until - start).total_seconds()
        moment = start + timedelta(seconds=span * min(0.95, self.rng.expovariate(4.0)) + 60)
        if to_local(moment, self.tz).hour < 7:
            moment += timedelta(hours=8)
        return min(moment, until - timedelta(minutes=1))

    def _answer(self, campaign: Campaign, chosen, start: datetime, until: datetime) -> int:
        moments = sorted((self._when(start, until), n) for n in range(len(chosen)))
        for moment, n in moments:
            invitation, tester = chosen[n]
            with clock_at(moment):
                services.submit_response(invitation, **self._answers(campaign, tester))
                db.session.flush()
        return len(chosen)

    def _unsubscribe(self, invited, chosen, start: datetime, until: datetime) -> None:
        silent = [item for item in invited if item not in chosen]
        for invitation, _tester in self.rng.sample(
            silent, min(self.spec["unsubscribed"], len(silent))
        ):
            with clock_at(self._when(start, until)):
                services.unsubscribe(invitation)
                db.session.flush()

    def _answers(self, campaign: Campaign, tester: Tester) -> dict[str, Any]:
        """Believable answers: one liking drives the SUS statements (odd ones positive, even
        ones negative), the recommendation, the scale and the comment."""
        rng = self.rng
        liking = self.spec["mood"] + rng.gauss(0, 1)

        def likert(centre: float) -> int:
            return max(1, min(5, round(rng.gauss(centre, 0.7))))

        sus = [
            likert(3.9 + 0.6 * liking) if item % 2 == 0 else likert(2.1 - 0.6 * liking)
            for item in range(10)
        ]
        nps = max(0, min(10, round(rng.gauss(7.2 + 1.6 * liking, 1.2))))
        answers: list[Any] = []
        for spec in self.spec["questions"]:
            kind = spec["kind"]
            if kind == QuestionKind.SINGLE:
                answers.append(rng.choices(spec["choices"], weights=spec["weights"])[0])
            elif kind == QuestionKind.MULTIPLE:
                # The last choice means "none of these": only on its own.
                *some, none = spec["choices"]
                picked = [
                    c for c, w in zip(some, spec["weights"], strict=False) if rng.random() < w / 100
                ]
                answers.append(picked or [none])
            elif kind == QuestionKind.SCALE:
                answers.append(likert(3.4 + 0.8 * liking))
            else:
                answers.append(self._comment(tester, liking))
        return {"sus": sus, "nps": nps, "answers": answers}

    def _comment(self, tester: Tester, liking: float) -> str:
        if self.rng.random() < 0.3:
            return ""  # free text is optional; many leave it empty
        pools = self.spec["comments"]
        pool = pools.get(tester.language) or pools["en"]
        tone = "good" if liking > 0.6 else ("bad" if liking < -0.6 else "mixed")
        return self.rng.choice(pool[tone])
