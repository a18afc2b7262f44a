"""The demo: a supervisor and eight simulated trainees with recognisable rater habits.

Everything is created through the same store and training functions the pages use (accounts,
cohorts, assignments, drafts, scores, submissions, formulations, uploads), with explicit
timestamps for the ten weeks of history, in one transaction. The trainees have submitted most
of the shipped sessions and cases but not all: each keeps a half-finished rating draft, a
half-written formulation and untouched work, and the cohort has assignments with due dates, some
overdue, so a newcomer who signs in as one has work to do and the supervisor's pages have
something to show. A demo therapist's audited sessions (the shipped transcripts, as if uploaded,
improving over the weeks) are rated blind by the supervisor and two auditors, in a cohort of
their own. Every demo account gets a random password, printed once; no admin is created here.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from .auth import create_user, generate_password
from .content.library import Library
from .content.models import Session as TranscriptSession
from .store import (
    create_assignment,
    create_cohort,
    get_or_create_draft,
    one_transaction,
    save_item_scores,
    submit_rating,
)
from .store.audit_log import record
from .store.errors import Conflict, InvalidInput
from .store.exposures import record_exposure
from .store.formulation_drafts import save_formulation_draft
from .store.models import Cohort, User, utcnow
from .store.permissions import require_admin
from .store.uploads import add_imported_session
from .training.practice import submit_formulation
from .training.simulation import HABITS, SUPERVISOR_HABIT, Habit, simulate_attempt, simulate_scores

DEMO_COHORT = "Demo cohort"
AUDIT_COHORT = "Demo cohort (audit team)"
DEMO_THERAPIST = "T-demo"
WEEKS = 10
FIRST_NAMES = ("Alex", "Blessing", "Carmen", "Dev", "Eun-ji", "Farid", "Greta", "Hamid")
AUDITORS = (
    ("demo-auditor-a", "Ines (auditor)", "calibrated"),
    ("demo-auditor-b", "Tom (auditor)", "noisy"),
)
FIDELITY_ORDER = {"low": 0, "mixed": 1, "high": 2}
LEFT_OPEN = 3  # sessions and cases each trainee leaves open: one half done, two untouched


def _left_open(count: int) -> int:
    """How many of `count` cases or sessions a trainee leaves open (none in a tiny library)."""
    return min(LEFT_OPEN, count // 4)


@dataclass
class DemoAccount:
    """A demo sign-in to show once."""

    username: str
    password: str
    role: str
    habit: str


@dataclass
class DemoResult:
    """What the demo seeding created."""

    cohort_id: int
    accounts: list[DemoAccount] = field(default_factory=list)
    ratings: int = 0
    attempts: int = 0
    uploads: int = 0

    def describe(self) -> str:
        """The demo sign-ins and counts, for the terminal or the first-run screen."""
        width = max(len(a.username) for a in self.accounts)
        lines = [
            f"Seeded {DEMO_COHORT!r}: {len(self.accounts)} accounts, {self.ratings} ratings, "
            f"{self.attempts} formulation attempts, {self.uploads} audited sessions of therapist "
            f"{DEMO_THERAPIST}.",
            "Demo sign-ins (shown only now; these passwords are random):",
        ]
        lines += [
            f"  {a.username:<{width}}  {a.password}  {a.role}{f' ({a.habit})' if a.habit else ''}"
            for a in self.accounts
        ]
        return "\n".join(lines)


@dataclass
class _Seeder:
    """The state of one seeding run: the database, the content, the clock and the result."""

    db: Session
    library: Library
    rng: np.random.Generator
    start: datetime
    result: DemoResult = field(default_factory=lambda: DemoResult(cohort_id=0))

    def account(
        self, actor: User | None, name: str, display: str, role: str, habit: str, cohort: int | None
    ) -> User:
        password = generate_password()
        user = create_user(
            self.db, actor, name, role, password, display_name=display, cohort_id=cohort
        )
        self.result.accounts.append(DemoAccount(name, password, role, habit))
        return user

    def when(self, t: float, jitter_hours: float = 30) -> datetime:
        return self.start + timedelta(
            weeks=WEEKS * t, hours=float(self.rng.uniform(0, jitter_hours))
        )

    def rate(
        self,
        user: User,
        habit: Habit,
        t: float,
        unit: str,
        session: TranscriptSession,
        *,
        submit: bool = True,
    ) -> None:
        """A rating of `unit` with simulated scores of `session`, as the rating page makes it."""
        rubric = self.library.rubrics[self.library.cases[session.case].rubric]
        entries = simulate_scores(self.rng, habit, t, session, rubric, self.library)
        when = self.when(t)
        if user.role == "trainee" and unit in self.library.sessions:
            record_exposure(
                self.db, user, session.case, "rating page", at=when - timedelta(minutes=45)
            )
        rating = get_or_create_draft(
            self.db, user, self.library, unit, at=when - timedelta(minutes=40)
        )
        if not submit:
            half = dict(list(entries.items())[: len(entries) // 2])
            save_item_scores(self.db, user, self.library, rating.id, half, at=when)
            return
        save_item_scores(self.db, user, self.library, rating.id, entries, at=when)
        submit_rating(self.db, user, self.library, rating.id, at=when)
        self.result.ratings += 1


def _rated_sessions(library: Library) -> list[TranscriptSession]:
    """Shipped sessions whose reference rating is on the library's version of the case rubric."""
    found = []
    for session in sorted(library.sessions.values(), key=lambda s: (s.case, s.session_number)):
        reference = session.reference_rating
        rubric = library.rubrics.get(library.cases[session.case].rubric)
        if (
            reference is not None
            and rubric is not None
            and rubric.version == reference.rubric_version
        ):
            found.append(session)
    return found


def demo_exists(db: Session) -> bool:
    """Whether the demo cohort or any demo account exists already."""
    cohort = db.scalar(select(Cohort.id).where(Cohort.name == DEMO_COHORT))
    account = db.scalar(select(User.id).where(User.username.like("demo-%")).limit(1))
    return cohort is not None or account is not None


def seed_demo(
    db: Session, library: Library, actor: User | None = None, seed: int | None = None
) -> DemoResult:
    """Create the demo cohort and its simulated work in one transaction; refuse if it exists.

    `actor` None is the operator at the command line; in the app only an admin may seed.
    """
    if actor is not None:
        require_admin(actor)
    if demo_exists(db):
        raise Conflict(
            f"The {DEMO_COHORT.lower()} (or demo-... accounts) exists already; nothing was added."
        )
    sessions = _rated_sessions(library)
    if not sessions and not library.cases:
        raise InvalidInput("The content library has no rated sessions or cases to build a demo on.")
    rng = np.random.default_rng(seed if seed is not None else secrets.randbits(32))
    seeder = _Seeder(db, library, rng, utcnow() - timedelta(weeks=WEEKS))
    with one_transaction(db):
        supervisor = seeder.account(
            actor, "demo-supervisor", "Dr Demo (supervisor)", "supervisor", "", None
        )
        cohort = create_cohort(
            db, supervisor, DEMO_COHORT, "Simulated trainees for trying the app out."
        )
        seeder.result.cohort_id = cohort.id
        trainees = [
            (
                seeder.account(
                    supervisor,
                    f"demo-{habit.name}",
                    f"{first} ({habit.description})",
                    "trainee",
                    habit.name,
                    cohort.id,
                ),
                habit,
            )
            for habit, first in zip(HABITS, FIRST_NAMES, strict=True)
        ]
        _assign(seeder, supervisor, cohort.id, sessions)
        for trainee, habit in trainees:
            _formulate(seeder, trainee, habit)
            _train(seeder, trainee, habit, sessions)
        _supervisor_ratings(seeder, supervisor, sessions)
        _audit(seeder, supervisor, sessions)
        record(db, actor, "demo.seed", cohort_id=cohort.id, ratings=seeder.result.ratings)
    return seeder.result


def _assign(seeder: _Seeder, supervisor: User, cohort_id: int, sessions: list) -> None:
    """The cohort's assignments: every session and case, due across the ten weeks and beyond."""
    targets = [("rate", s.id) for s in sessions] + [("formulate", c) for c in seeder.library.cases]
    today = utcnow().date()
    for k, (kind, target) in enumerate(targets):
        due = today + timedelta(
            days=int(-7 * WEEKS + (7 * WEEKS + 21) * k / max(1, len(targets) - 1))
        )
        create_assignment(
            seeder.db,
            supervisor,
            kind=kind,
            target_id=target,
            cohort_id=cohort_id,
            rubric_id=seeder.library.cases[seeder.library.sessions[target].case].rubric
            if kind == "rate"
            else None,
            due_date=due,
            at=seeder.start,
        )


def _formulate(seeder: _Seeder, trainee: User, habit: Habit) -> None:
    """Every case but a few: one half-written formulation left as a draft, the rest untouched."""
    cases = sorted(seeder.library.cases.values(), key=lambda c: c.id)
    order = seeder.rng.permutation(len(cases))
    open_cases = {cases[i].id for i in order[: _left_open(len(cases))]}
    drafted = cases[order[0]].id if open_cases else None
    done = [c for c in cases if c.id not in open_cases]
    for k, case in enumerate(done):
        attempt = simulate_attempt(seeder.rng, habit, case)
        when = seeder.start + timedelta(days=2 + 35 * k / max(1, len(done)))
        submit_formulation(seeder.db, trainee, seeder.library, case.id, attempt, at=when)
        seeder.result.attempts += 1
    if drafted is not None:
        payload = {"primary": None, "text": "Low mood since ", "passages": [], "self_check": {}}
        save_formulation_draft(seeder.db, trainee, drafted, payload)


def _train(seeder: _Seeder, trainee: User, habit: Habit, sessions: list) -> None:
    """Most sessions rated over the weeks; one left half-scored as a draft, two untouched."""
    order = seeder.rng.permutation(len(sessions))
    open_ids = {sessions[i].id for i in order[: _left_open(len(sessions))]}
    drafted = sessions[order[0]].id if open_ids else None
    rated = [s for s in sessions if s.id not in open_ids]
    for k, session in enumerate(rated):
        seeder.rate(trainee, habit, k / max(1, len(rated) - 1), session.id, session)
    if drafted is not None:
        session = seeder.library.sessions[drafted]
        seeder.rate(trainee, habit, 1.0, drafted, session, submit=False)


def _supervisor_ratings(seeder: _Seeder, supervisor: User, sessions: list) -> None:
    """The supervisor rated about half of the sessions too (shown when staff are included)."""
    chosen = [s for s in sessions if seeder.rng.random() < 0.5]
    for k, session in enumerate(chosen):
        seeder.rate(supervisor, SUPERVISOR_HABIT, k / max(1, len(chosen) - 1), session.id, session)


def _audit(seeder: _Seeder, supervisor: User, sessions: list) -> None:
    """A therapist's audited sessions (the shipped transcripts, as if uploaded), improving over
    ten weeks of supervision, each rated blind by the supervisor and two auditors."""
    db, library = seeder.db, seeder.library
    team = create_cohort(
        db, supervisor, AUDIT_COHORT, "Co-raters of the demo therapist's sessions."
    )
    habits = {h.name: h for h in HABITS}
    raters = [(supervisor, SUPERVISOR_HABIT)] + [
        (seeder.account(supervisor, name, display, "trainee", habit, team.id), habits[habit])
        for name, display, habit in AUDITORS
    ]
    ordered = sorted(sessions, key=lambda s: FIDELITY_ORDER[s.fidelity])
    for k, session in enumerate(ordered):
        t = k / max(1, len(ordered) - 1)
        when = seeder.start + timedelta(weeks=WEEKS * t)
        case = library.case_of(session)
        upload = add_imported_session(
            db,
            supervisor,
            title=f"Client {case.vignette.client.pseudonym[0]}., session {session.session_number}",
            therapist_id=DEMO_THERAPIST,
            phase=session.phase,
            session_number=session.session_number,
            rubric_id=case.rubric,
            case_id=case.id,
            problem_areas=sorted(case.key.areas),
            turns=[turn.model_dump(mode="json", exclude_none=True) for turn in session.turns],
            redaction_summary={"format": "demo", "redacted": {}, "kept": 0, "names_added": 0},
            at=when,
        )
        seeder.result.uploads += 1
        for user, habit in raters:
            if user is not supervisor:
                create_assignment(
                    db,
                    supervisor,
                    kind="rate",
                    target_id=upload.id,
                    user_id=user.id,
                    rubric_id=case.rubric,
                    at=when,
                )
            seeder.rate(user, habit, t, upload.id, session)
