"""A demo cohort: a supervisor and eight simulated trainees with recognisable rater habits.

Each trainee rated the shipped sessions (the expert reference rating shifted by their habit, with
noise, clipped to the scale, some items marked not applicable) over ten weeks, so drift and
learning show on the dashboards, and attempted the shipped cases' formulations with the typical
mistakes (grief for a loss that is not a death, a transition for a dispute, the wrong stage).
A demo therapist's audited sessions (the shipped transcripts, as if uploaded, improving over the
weeks) are rated blind by the supervisor and two auditors (a cohort of their own, so the training
dashboard stays a crossed design), so the therapist timeline has data too.
Every demo account gets a random password, printed once; no admin is ever created here.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth import generate_password, hash_password
from ..content.library import Library
from ..content.models import Case, Rubric
from ..content.models import Session as TranscriptSession
from ..store.audit import record
from ..store.errors import Conflict, InvalidInput
from ..store.models import (
    Assignment,
    Cohort,
    FormulationAttempt,
    ImportedSession,
    ItemScore,
    Membership,
    Rating,
    User,
    utcnow,
)
from ..store.permissions import require_admin
from ..store.transactions import writes
from ..store.uploads import new_session_id
from .formulation import Attempt, assess

DEMO_COHORT = "Demo cohort"
WEEKS = 10
DEMO_THERAPIST = "T-demo"
AUDIT_COHORT = "Demo cohort (audit team)"
AUDITORS = (
    ("demo-auditor-a", "Ines (auditor)", "calibrated"),
    ("demo-auditor-b", "Tom (auditor)", "noisy"),
)
FIDELITY_ORDER = {"low": 0, "mixed": 1, "high": 2}


@dataclass(frozen=True)
class Habit:
    """How a simulated rater departs from the expert: bias, noise and drift over time (0..1)."""

    name: str
    description: str
    bias: Callable[[float], float] = lambda t: 0.0
    noise: Callable[[float], float] = lambda t: 0.4
    shrink: float = 1.0  # < 1 pulls scores towards the scale's middle
    na_rate: float = 0.03
    formulation_skill: float = 0.7  # chance of reading a case as the expert does


HABITS = (
    Habit("calibrated", "well calibrated", noise=lambda t: 0.35, formulation_skill=0.9),
    Habit("lenient", "lenient: scores about one point high", bias=lambda t: 0.8),
    Habit("severe", "severe: scores about one point low", bias=lambda t: -0.8),
    Habit("noisy", "noisy: right on average, erratic item by item", noise=lambda t: 1.1),
    Habit(
        "drifting",
        "drifting: starts severe, ends lenient",
        bias=lambda t: -0.9 + 1.8 * t,
        formulation_skill=0.6,
    ),
    Habit("central", "central tendency: avoids the ends of the scale", shrink=0.4),
    Habit("na-happy", "marks items not applicable too readily", na_rate=0.25),
    Habit(
        "improving",
        "improving: erratic and low at first, close to the expert by the end",
        bias=lambda t: -0.6 * (1 - t),
        noise=lambda t: 1.2 - 0.9 * t,
        formulation_skill=0.5,
    ),
)
FIRST_NAMES = ("Alex", "Blessing", "Carmen", "Dev", "Eun-ji", "Farid", "Greta", "Hamid")
TYPICAL_MISTAKE = {
    "role_transition": "grief",  # grief for a loss that is not a death
    "role_dispute": "role_transition",
    "grief": "role_transition",
    "interpersonal_deficits": "role_dispute",
}
WRONG_STAGE = {"renegotiation": "impasse", "impasse": "renegotiation", "dissolution": "impasse"}


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


def _account(
    db: Session,
    username: str,
    display: str,
    role: str,
    result: DemoResult,
    habit: str,
    cohort_id: int | None = None,
) -> User:
    password = generate_password()
    user = User(
        username=username, display_name=display, role=role, password_hash=hash_password(password)
    )
    db.add(user)
    db.flush()
    db.add(Membership(cohort_id=cohort_id or result.cohort_id, user_id=user.id))
    result.accounts.append(DemoAccount(username, password, role, habit))
    return user


def _rated_sessions(library: Library) -> list[tuple[TranscriptSession, Rubric]]:
    """Shipped sessions with a reference rating on the library's version of its rubric."""
    found = []
    for session in sorted(library.sessions.values(), key=lambda s: (s.case, s.session_number)):
        reference = session.reference_rating
        rubric = library.rubrics.get(reference.rubric) if reference else None
        if (
            rubric is not None
            and reference is not None
            and rubric.version == reference.rubric_version
        ):
            found.append((session, rubric))
    return found


def _simulate_scores(
    rng: np.random.Generator,
    habit: Habit,
    t: float,
    session: TranscriptSession,
    rubric: Rubric,
    library: Library,
) -> list[ItemScore]:
    """One simulated rater's item scores of a session at time t."""
    assert session.reference_rating is not None
    reference = session.reference_rating.items
    low, high = rubric.scale.min, rubric.scale.max
    middle = (low + high) / 2
    scores = []
    for item in library.applicable_items(session.id, rubric.id):
        expert = reference.get(item.id)
        na_allowed = rubric.na_allowed(item)
        if expert is None or (expert.not_applicable and rng.random() > 0.15):
            if na_allowed:
                scores.append(ItemScore(item_id=item.id, not_applicable=True))
            continue
        if na_allowed and rng.random() < habit.na_rate:
            scores.append(ItemScore(item_id=item.id, not_applicable=True))
            continue
        base = expert.score if expert.score is not None else middle
        value = (
            middle + habit.shrink * (base - middle) + habit.bias(t) + rng.normal(0, habit.noise(t))
        )
        evidence = list(expert.evidence) if rng.random() < 0.6 else []
        scores.append(
            ItemScore(
                item_id=item.id, score=int(np.clip(np.rint(value), low, high)), evidence=evidence
            )
        )
    return scores


def _simulate_attempt(rng: np.random.Generator, habit: Habit, case: Case) -> Attempt:
    """A formulation attempt: the expert's reading, or one of the typical mistakes."""
    key = case.key
    right = rng.random() < habit.formulation_skill
    primary = key.primary_problem_area if right else TYPICAL_MISTAKE[key.primary_problem_area]
    secondary = key.secondary_problem_area if right and rng.random() < 0.6 else None
    stage = None
    if "role_dispute" in {primary, secondary}:
        stage = key.dispute_stage or "renegotiation"
        if rng.random() > habit.formulation_skill:
            stage = WRONG_STAGE[stage]
    people = [p for p in key.key_people if rng.random() < 0.8]
    cue_quotes = [c.quote for c in key.cues if rng.random() < (0.7 if right else 0.3)]
    return Attempt(
        primary=primary,
        secondary=secondary if secondary != primary else None,
        dispute_stage=stage,
        key_people=people,
        passages=cue_quotes,
        text=f"I read this as {primary.replace('_', ' ')}. " + " ".join(cue_quotes),
    )


@writes
def seed_demo(
    db: Session, library: Library, actor: User | None = None, seed: int | None = None
) -> DemoResult:
    """Create the demo cohort and its simulated work in one transaction; refuse if it exists.

    `actor` None is the operator at the command line; in the app only an admin may seed.
    """
    if actor is not None:
        require_admin(actor)
    if db.scalar(select(Cohort.id).where(Cohort.name == DEMO_COHORT)) is not None:
        raise Conflict(f"The {DEMO_COHORT!r} exists already; nothing was added.")
    if db.scalar(select(User.id).where(User.username.like("demo-%")).limit(1)) is not None:
        raise Conflict("Accounts named demo-... exist already; nothing was added.")
    sessions = _rated_sessions(library)
    if not sessions and not library.cases:
        raise InvalidInput("The content library has no rated sessions or cases to build a demo on.")
    rng = np.random.default_rng(seed if seed is not None else secrets.randbits(32))
    cohort = Cohort(name=DEMO_COHORT, description="Simulated trainees for trying the app out.")
    db.add(cohort)
    db.flush()
    result = DemoResult(cohort_id=cohort.id)
    supervisor = _account(db, "demo-supervisor", "Dr Demo (supervisor)", "supervisor", result, "")
    start = utcnow() - timedelta(weeks=WEEKS)
    raters = [(supervisor, Habit("supervisor", "supervisor", noise=lambda t: 0.3))]
    for habit, first in zip(HABITS, FIRST_NAMES, strict=True):
        trainee = _account(
            db,
            f"demo-{habit.name}",
            f"{first} ({habit.description})",
            "trainee",
            result,
            habit.name,
        )
        raters.append((trainee, habit))
    for user, habit in raters:
        _rate_all(db, rng, user, habit, sessions, library, start, result)
        if user.role == "trainee":
            _formulate_all(db, rng, user, habit, library, start, result)
    co_raters = [raters[0], *_audit_team(db, supervisor, result)]
    _audit_all(db, rng, supervisor, co_raters, sessions, library, start, result)
    record(db, actor, "demo.seed", cohort_id=cohort.id, ratings=result.ratings)
    return result


def _audit_team(db: Session, supervisor: User, result: DemoResult) -> list[tuple[User, Habit]]:
    """A second cohort of two auditors, so the audit ratings stay off the training dashboard."""
    team = Cohort(name=AUDIT_COHORT, description="Co-raters of the demo therapist's sessions.")
    db.add(team)
    db.flush()
    db.add(Membership(cohort_id=team.id, user_id=supervisor.id))
    habits = {h.name: h for h in HABITS}
    return [
        (_account(db, name, display, "trainee", result, habit, team.id), habits[habit])
        for name, display, habit in AUDITORS
    ]


def _audit_all(
    db: Session,
    rng: np.random.Generator,
    supervisor: User,
    co_raters: list[tuple[User, Habit]],
    sessions: list[tuple[TranscriptSession, Rubric]],
    library: Library,
    start: datetime,
    result: DemoResult,
) -> None:
    """A therapist's audited sessions (the shipped transcripts, as if uploaded), improving over
    ten weeks of supervision, each rated blind by the supervisor and the two auditors."""
    ordered = sorted(sessions, key=lambda pair: FIDELITY_ORDER[pair[0].fidelity])
    for k, (session, rubric) in enumerate(ordered):
        t = k / max(1, len(ordered) - 1)
        when = start + timedelta(weeks=WEEKS * t)
        case = library.case_of(session)
        upload = ImportedSession(
            id=new_session_id(),
            title=f"Client {case.vignette.client.pseudonym[0]}., session {session.session_number}",
            therapist_id=DEMO_THERAPIST,
            phase=session.phase,
            session_number=session.session_number,
            case_id=case.id,
            problem_areas=sorted(case.key.areas),
            turns=[turn.model_dump(mode="json", exclude_none=True) for turn in session.turns],
            redaction_summary={"format": "demo", "redacted": {}, "kept": 0, "names_added": 0},
            created_by=supervisor.id,
            created_at=when,
        )
        db.add(upload)
        db.flush()
        result.uploads += 1
        for user, habit in co_raters:
            db.add(
                Assignment(
                    kind="rate",
                    target_id=upload.id,
                    rubric_id=rubric.id,
                    user_id=user.id,
                    created_by=supervisor.id,
                    created_at=when,
                )
            )
            rated_at = when + timedelta(days=float(rng.uniform(1, 6)))
            _submit(db, rng, user, habit, t, upload.id, session, rubric, library, rated_at)
            result.ratings += 1


def _rate_all(
    db: Session,
    rng: np.random.Generator,
    user: User,
    habit: Habit,
    sessions: list[tuple[TranscriptSession, Rubric]],
    library: Library,
    start: datetime,
    result: DemoResult,
) -> None:
    chosen = [pair for pair in sessions if user.role == "trainee" or rng.random() < 0.5]
    for k, (session, rubric) in enumerate(chosen):
        t = k / max(1, len(chosen) - 1)
        when = start + timedelta(weeks=WEEKS * t, hours=float(rng.uniform(0, 30)))
        _submit(db, rng, user, habit, t, session.id, session, rubric, library, when)
        result.ratings += 1


def _submit(
    db: Session,
    rng: np.random.Generator,
    user: User,
    habit: Habit,
    t: float,
    unit: str,
    session: TranscriptSession,
    rubric: Rubric,
    library: Library,
    when: datetime,
) -> None:
    """A submitted rating of `unit` with the rater's simulated scores of `session` at time t."""
    rating = Rating(
        rater_id=user.id,
        session_id=unit,
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        status="submitted",
        created_at=when - timedelta(minutes=40),
        updated_at=when,
        submitted_at=when,
    )
    db.add(rating)
    db.flush()
    for score in _simulate_scores(rng, habit, t, session, rubric, library):
        score.rating_id, score.updated_at = rating.id, when
        db.add(score)


def _formulate_all(
    db: Session,
    rng: np.random.Generator,
    user: User,
    habit: Habit,
    library: Library,
    start: datetime,
    result: DemoResult,
) -> None:
    cases = sorted(library.cases.values(), key=lambda c: c.id)
    for k, case in enumerate(cases):
        attempt = _simulate_attempt(rng, habit, case)
        when = start + timedelta(days=3 + 7 * WEEKS * k / max(1, len(cases)))
        db.add(
            FormulationAttempt(
                user_id=user.id,
                case_id=case.id,
                primary_area=attempt.primary,
                secondary_area=attempt.secondary,
                dispute_stage=attempt.dispute_stage,
                key_people=attempt.key_people,
                text=attempt.text,
                self_check={},
                feedback=assess(case, attempt).to_dict(),
                submitted_at=when,
            )
        )
        result.attempts += 1
