"""Item drills: frame-of-reference rater training on short excerpts, one item at a time.

Every (session, item) of a reference rating with a score and evidence turns is a drill: the
excerpt around the evidence, the one item with its anchors, a score to give, then the expert's
score, rationale and the anchor that decides it. The next drill goes where the trainee drifts
most from the expert (largest mean absolute difference plus bias, over drills and full ratings),
mixing in items not yet seen. The blind rule: a drill shows the expert's score of its item, so
drills come only from practice sessions or from sessions the trainee has already rated in full.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..content.library import Library
from ..content.models import Turn

CONTEXT = 2  # turns shown either side of the evidence
WIDE_CONTEXT = 6  # ... when the trainee expands the excerpt
UNSEEN_WEAKNESS = 1.0  # how weak an item never practised counts as (in scale points)
SESSION_LENGTH = 10


@dataclass(frozen=True)
class Drill:
    """One (session, item) of the library's reference ratings, as a short rating exercise."""

    session_id: str
    item_id: str
    rubric_id: str
    case_id: str
    use: str
    evidence: tuple[int, ...]
    expert_score: int
    rationale: str

    @property
    def key(self) -> str:
        return f"{self.session_id}:{self.item_id}"


def drill_catalogue(library: Library) -> list[Drill]:
    """Every drill the library's reference ratings yield (scored items with evidence)."""
    drills = []
    for session in library.sessions.values():
        rating = session.reference_rating
        case = library.cases.get(session.case)
        if rating is None or case is None or rating.rubric != case.rubric:
            continue
        for item_id, item in rating.items.items():
            if item.score is None or not item.evidence:
                continue
            drills.append(
                Drill(
                    session_id=session.id,
                    item_id=item_id,
                    rubric_id=rating.rubric,
                    case_id=case.id,
                    use=session.use,
                    evidence=tuple(sorted(item.evidence)),
                    expert_score=item.score,
                    rationale=item.rationale,
                )
            )
    return drills


def open_to(drills: Iterable[Drill], rated: set[str]) -> list[Drill]:
    """The drills a trainee may take: practice sessions, and sessions they have rated in full."""
    return [d for d in drills if d.use == "practice" or d.session_id in rated]


def excerpt(turns: list[Turn], evidence: Iterable[int], context: int = CONTEXT) -> list[Turn]:
    """The turns around the evidence, `context` turns either side, in order."""
    wanted = {n + k for n in evidence for k in range(-context, context + 1)}
    return [t for t in turns if t.n in wanted]


def weakness(history: pd.DataFrame) -> pd.Series:
    """Per item: mean absolute difference from the expert plus the absolute bias (points).

    `history` has one row per scored answer: item, score, expert (drills and full ratings).
    """
    if history.empty:
        return pd.Series(dtype=float)
    diff = history["score"].astype(float) - history["expert"].astype(float)
    grouped = diff.groupby(history["item"])
    return grouped.apply(lambda d: d.abs().mean()) + grouped.mean().abs()


def next_drill(
    available: list[Drill],
    history: pd.DataFrame,
    done: Iterable[str],
    rng: np.random.Generator,
) -> Drill | None:
    """Where the trainee is weakest: an item drawn with weight by weakness (unseen items count
    as `UNSEEN_WEAKNESS`), then its drill the trainee has taken least often."""
    if not available:
        return None
    weak = weakness(history)
    items = sorted({d.item_id for d in available})
    weights = np.array([weak.get(item, UNSEEN_WEAKNESS) for item in items], dtype=float) + 0.05
    item = items[rng.choice(len(items), p=weights / weights.sum())]
    taken = pd.Series(list(done), dtype=object).value_counts()
    candidates = [d for d in available if d.item_id == item]
    fewest = min(int(taken.get(d.key, 0)) for d in candidates)
    least = [d for d in candidates if int(taken.get(d.key, 0)) == fewest]
    return least[rng.integers(len(least))]
