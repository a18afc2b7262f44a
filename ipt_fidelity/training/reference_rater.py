"""What a rater is compared with: the expert's reference rating, or the raters' consensus."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..agreement import bias_matrix
from ..content.library import Library
from ..content.models import Rubric
from .scoring import categorical

EXPERT = "Expert (reference)"  # never a username: usernames are lower-case
REFERENCE_COLUMNS = ["session", "item", "reference"]


def reference_scores(library: Library, session_ids: list[str] | None = None) -> pd.DataFrame:
    """The expert's numeric item scores as a long table (session, item, reference)."""
    rows = []
    for session in library.sessions.values():
        if session.reference_rating is None:
            continue
        if session_ids is not None and session.id not in session_ids:
            continue
        for item_id, rating in session.reference_rating.items.items():
            if rating.score is not None:
                rows.append((session.id, item_id, float(rating.score)))
    return pd.DataFrame(rows, columns=REFERENCE_COLUMNS)


def expert_reference(library: Library, rubric: Rubric) -> pd.DataFrame:
    """The expert's item scores (unit, item, reference) of the sessions rated with this rubric."""
    sessions = [
        s.id
        for s in library.sessions.values()
        if s.reference_rating is not None and s.reference_rating.rubric == rubric.id
    ]
    frame = reference_scores(library, sessions)
    return frame.rename(columns={"session": "unit"})[["unit", "item", "reference"]]


def consensus_reference(ratings: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """The raters' median score per (unit, item), rounded to the nearest scale point."""
    scored = categorical(ratings.dropna(subset=["score"]))
    median = scored.groupby(["unit", "item"], observed=True)["score"].median()
    rounded = np.clip(np.floor(median.to_numpy() + 0.5), rubric.scale.min, rubric.scale.max)
    return median.index.to_frame(index=False).assign(reference=rounded)


def reference_values(scores: pd.DataFrame, reference: pd.DataFrame) -> np.ndarray:
    """The reference score of each row's (unit, item) in `scores`, NaN where there is none."""
    scores = categorical(scores[["unit", "item"]])
    units, items = scores["unit"].cat.categories, scores["item"].cat.categories
    table = np.full((len(units), len(items)), np.nan)
    unit = pd.Categorical(reference["unit"], categories=units).codes
    item = pd.Categorical(reference["item"], categories=items).codes
    known = (unit >= 0) & (item >= 0)
    table[unit[known], item[known]] = reference["reference"].to_numpy(dtype=float)[known]
    if table.size == 0:
        return np.full(len(scores), np.nan)
    return table[scores["unit"].cat.codes.to_numpy(), scores["item"].cat.codes.to_numpy()]


def deviation_matrix(scores: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """Rater x item mean signed deviation from the reference: the engine's `bias_matrix`."""
    scores = categorical(scores[["unit", "rater", "item", "score"]])
    pairs = scores[["rater", "item", "score"]].assign(reference=reference_values(scores, reference))
    return bias_matrix(pairs)
