"""Reliability overlap: each session to one trainee, and a chosen share also to a second one.

The second rater works blind like everyone else (no rater sees another's rating before submitting
their own); the overlapping sessions are what the agreement dashboard can compare.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Routing:
    """One session routed to one trainee; `second` marks the overlap's second rater."""

    session_id: str
    user_id: int
    second: bool = False


def overlap_plan(
    sessions: list[str], trainees: list[int], share: float, seed: int | None = None
) -> list[Routing]:
    """First raters in turn; `share` of the sessions (at random) also to a different trainee."""
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"the overlap share must be between 0 and 1, got {share}")
    if not trainees:
        return []
    first = {s: trainees[i % len(trainees)] for i, s in enumerate(sessions)}
    plan = [Routing(s, first[s]) for s in sessions]
    if len(trainees) < 2:
        return plan
    count = math.ceil(share * len(sessions) - 1e-9)
    chosen = random.Random(seed).sample(sessions, count)
    others = len(trainees) - 1
    for j, session in enumerate(chosen):
        position = trainees.index(first[session]) + 1 + j % others
        plan.append(Routing(session, trainees[position % len(trainees)], second=True))
    return plan
