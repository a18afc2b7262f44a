"""The rubric's scoring rule: section scores, the fidelity total and the quality score.

A proscribed item counts as max + min - score (higher is always more faithful), not-applicable
items are left out, the fidelity total averages the adherence items and the quality score the
quality items. Every page, export and report that shows a composite score uses these functions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..content.models import Rubric

KEYS = ("unit", "rater", "item")
TOTAL, QUALITY, SECTION = "total", "quality", "section:"


def composite_labels(rubric: Rubric) -> dict[str, str]:
    """Labels of every item and composite score of a rubric."""
    labels = {item.id: item.text for item in rubric.items}
    labels.update({f"{SECTION}{s.id}": f"Section: {s.title}" for s in rubric.sections})
    labels[TOTAL] = "Fidelity total"
    if any(item.dimension == "quality" for item in rubric.items):
        labels[QUALITY] = "Quality score"
    return labels


def categorical(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with unit, rater and item as categories (fast to group on); no copy if they are."""
    plain = [k for k in KEYS if k in frame and not isinstance(frame[k].dtype, pd.CategoricalDtype)]
    if not plain:
        return frame
    return frame.assign(**{key: frame[key].astype("category") for key in plain})


def composite_scores(ratings: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Section scores, the fidelity total and the quality score per (unit, rater).

    As the rubric's scoring rule says: a proscribed item counts as max + min - score (higher is
    always more faithful), not-applicable items are left out, the fidelity total averages the
    adherence items and the quality score the quality items.
    """
    scale = rubric.scale
    labels = [k for k in composite_labels(rubric) if k in (TOTAL, QUALITY) or k.startswith(SECTION)]
    ratings = categorical(ratings[["unit", "rater", "item", "score"]])
    scored = ratings[ratings["item"].isin({i.id for i in rubric.items}) & ratings["score"].notna()]
    categories = scored["item"].cat.categories
    item = scored["item"].cat.codes.to_numpy()
    reverse = np.array([rubric.item(c).kind == "proscribed" for c in categories], dtype=bool)
    score = scored["score"].to_numpy()
    value = np.where(reverse[item], scale.max + scale.min - score, score)
    parts = []
    for position, key in enumerate(labels):
        members = np.array([_in_composite(rubric, c, key) for c in categories], dtype=bool)
        rows = np.flatnonzero(members[item]) if len(categories) else np.zeros(0, dtype=int)
        parts.append((np.full(rows.size, position), rows))
    composite = np.concatenate([p[0] for p in parts]).astype(np.int64)
    rows = np.concatenate([p[1] for p in parts]).astype(np.int64)
    units, raters = scored["unit"].cat, scored["rater"].cat
    n_units, n_raters = len(units.categories), len(raters.categories)
    unit, rater = units.codes.to_numpy()[rows], raters.codes.to_numpy()[rows]
    cell = (composite * n_units + unit) * n_raters + rater
    size = len(labels) * n_units * n_raters
    total = np.bincount(cell, weights=value[rows], minlength=size)
    count = np.bincount(cell, minlength=size)
    used = np.flatnonzero(count)
    composite_code, rest = np.divmod(used, n_units * n_raters)
    unit_code, rater_code = np.divmod(rest, n_raters)
    return pd.DataFrame(
        {
            "unit": pd.Categorical.from_codes(unit_code, units.categories),
            "rater": pd.Categorical.from_codes(rater_code, raters.categories),
            "item": pd.Categorical.from_codes(composite_code, labels),
            "score": total[used] / count[used],
        }
    )


def _in_composite(rubric: Rubric, item_id: str, key: str) -> bool:
    """Whether an item counts towards a composite score."""
    dimension = rubric.item(item_id).dimension
    if key == TOTAL:
        return dimension == "adherence"
    if key == QUALITY:
        return dimension == "quality"
    return f"{SECTION}{rubric.section_of(item_id).id}" == key


def fidelity_totals(scores: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """The fidelity total per (unit, rater), by the rubric's scoring rule."""
    composites = composite_scores(scores, rubric)
    total = composites[composites["item"] == TOTAL]
    return total[["unit", "rater", "score"]].reset_index(drop=True)
