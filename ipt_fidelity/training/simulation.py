"""Simulated raters for the demo: recognisable habits of departing from the expert.

Pure functions: given a habit, a moment in the rater's training (t from 0 to 1) and a session's
reference rating, they return the scores and formulation choices such a rater would give.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..content.library import Library
from ..content.models import Case, Rubric
from ..content.models import Session as TranscriptSession
from ..store.ratings import ScoreEntry
from .formulation_feedback import Attempt, vignette_sentences


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
SUPERVISOR_HABIT = Habit("supervisor", "supervisor", noise=lambda t: 0.3)
TYPICAL_MISTAKE = {
    "role_transition": "grief",  # grief for a loss that is not a death
    "role_dispute": "role_transition",
    "grief": "role_transition",
    "interpersonal_deficits": "role_dispute",
}
WRONG_STAGE = {"renegotiation": "impasse", "impasse": "renegotiation", "dissolution": "impasse"}


def simulate_scores(
    rng: np.random.Generator,
    habit: Habit,
    t: float,
    session: TranscriptSession,
    rubric: Rubric,
    library: Library,
) -> dict[str, ScoreEntry]:
    """One simulated rater's item scores of a session at time t, by item id."""
    assert session.reference_rating is not None
    reference = session.reference_rating.items
    low, high = rubric.scale.min, rubric.scale.max
    middle = (low + high) / 2
    na = ScoreEntry(not_applicable=True)
    entries: dict[str, ScoreEntry] = {}
    for item in library.applicable_items(session.id, rubric.id):
        expert = reference.get(item.id)
        na_allowed = rubric.na_allowed(item)
        if expert is not None and expert.not_applicable and na_allowed and rng.random() > 0.15:
            entries[item.id] = na
            continue
        if na_allowed and rng.random() < habit.na_rate:
            entries[item.id] = na
            continue
        base = expert.score if expert is not None and expert.score is not None else middle
        value = (
            middle + habit.shrink * (base - middle) + habit.bias(t) + rng.normal(0, habit.noise(t))
        )
        evidence = tuple(expert.evidence) if expert is not None and rng.random() < 0.6 else ()
        entries[item.id] = ScoreEntry(
            score=int(np.clip(np.rint(value), low, high)), evidence=evidence
        )
    return entries


def simulate_attempt(rng: np.random.Generator, habit: Habit, case: Case) -> Attempt:
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
    sentences = vignette_sentences(case)
    cue_quotes = [c.quote for c in key.cues if rng.random() < (0.7 if right else 0.3)]
    passages = [s for s in sentences if any(q in s for q in cue_quotes)]
    return Attempt(
        primary=primary,
        secondary=secondary if secondary != primary else None,
        dispute_stage=stage,
        key_people=people,
        passages=passages,
        text=f"I read this as {primary.replace('_', ' ')}. " + " ".join(cue_quotes),
    )
