"""Validation and factorisation of long-format ratings (``unit``, ``rater``, ``score``).

Every coefficient in this package starts from :class:`Ratings`: the long table is checked
once, not-applicable and missing scores are dropped, and units, raters and scale points are
turned into integer codes so that later steps are plain numpy indexing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

LEVELS = ("nominal", "ordinal", "interval", "ratio")
REQUIRED_COLUMNS = ("unit", "rater", "score")
NOT_APPLICABLE = frozenset({"", "na", "n/a", "not applicable", "none", "nan", "missing"})


@dataclass(frozen=True)
class Ratings:
    """Validated ratings of one item, as integer codes.

    Attributes
    ----------
    unit, rater : ndarray of int64
        Codes ``0..n_units-1`` and ``0..n_raters-1`` of each kept rating.
    category : ndarray of int64
        Position of each rating on the scale (index into ``categories``).
    value : ndarray of float64
        Numeric value of each rating (the scale position when the scale is not numeric).
    categories : tuple
        Scale points in scale order: the declared categories, else the observed ones.
    category_values : ndarray of float64
        Numeric value of each scale point (its position when the scale is not numeric).
    unit_labels, rater_labels : ndarray
        Original labels of the codes.
    """

    unit: np.ndarray
    rater: np.ndarray
    category: np.ndarray
    value: np.ndarray
    categories: tuple
    category_values: np.ndarray
    unit_labels: np.ndarray
    rater_labels: np.ndarray

    @property
    def n_ratings(self) -> int:
        return int(self.unit.size)

    @property
    def n_units(self) -> int:
        return int(self.unit_labels.size)

    @property
    def n_raters(self) -> int:
        return int(self.rater_labels.size)

    @property
    def n_categories(self) -> int:
        return len(self.categories)

    @cached_property
    def counts(self) -> np.ndarray:
        """Unit x category matrix: how many raters put each unit on each scale point."""
        q = self.n_categories
        flat = np.bincount(self.unit * q + self.category, minlength=self.n_units * q)
        return flat.reshape(self.n_units, q).astype(np.float64)

    @cached_property
    def rater_counts(self) -> np.ndarray:
        """Rater x category matrix: how often each rater used each scale point."""
        q = self.n_categories
        flat = np.bincount(self.rater * q + self.category, minlength=self.n_raters * q)
        return flat.reshape(self.n_raters, q).astype(np.float64)

    @cached_property
    def matrix(self) -> np.ndarray:
        """Dense unit x rater matrix of values, NaN where a rater did not rate a unit."""
        out = np.full((self.n_units, self.n_raters), np.nan)
        out[self.unit, self.rater] = self.value
        return out

    @cached_property
    def category_matrix(self) -> np.ndarray:
        """Dense unit x rater matrix of scale positions, -1 where a rater did not rate."""
        out = np.full((self.n_units, self.n_raters), -1, dtype=np.int64)
        out[self.unit, self.rater] = self.category
        return out


def _is_number(x: object) -> bool:
    try:
        float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def _present(score: pd.Series) -> np.ndarray:
    """Mask of scores that are values: not missing and not a not-applicable marker."""
    present = score.notna().to_numpy()
    if score.dtype == object or pd.api.types.is_string_dtype(score.dtype):
        text = score.astype(str).str.strip().str.lower().to_numpy()
        present &= ~np.isin(text, list(NOT_APPLICABLE))
    return present


def _numeric(values: pd.Series, what: str) -> np.ndarray:
    out = np.asarray(pd.to_numeric(values, errors="coerce"), dtype=np.float64)
    bad = ~np.isfinite(out)
    if bad.any():
        example = np.asarray(values)[np.flatnonzero(bad)[0]]
        raise ValueError(f"{what} must be numbers, got {example!r}")
    return out


def _scores(
    ratings: pd.DataFrame, level: str
) -> tuple[np.ndarray, np.ndarray, pd.Series | np.ndarray]:
    """Units, raters and scores of the ratings that are values (missing and N/A dropped).

    Numeric scores come back as an ndarray, anything else as a Series.
    """
    if not isinstance(ratings, pd.DataFrame):
        raise ValueError("ratings must be a pandas DataFrame with columns unit, rater, score")
    missing = [c for c in REQUIRED_COLUMNS if c not in ratings.columns]
    if missing:
        raise ValueError(f"ratings lack column(s): {', '.join(missing)}")
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    column = ratings["score"]
    keep = _present(column)
    unit = ratings["unit"].to_numpy()
    rater = ratings["rater"].to_numpy()
    score = column.to_numpy() if pd.api.types.is_numeric_dtype(column) else column
    if not keep.all():
        unit, rater, score = unit[keep], rater[keep], score[keep]
    if pd.isna(unit).any() or pd.isna(rater).any():
        raise ValueError("every rating needs a unit and a rater")
    if score.dtype == object:
        score = score.map(lambda s: s.strip() if isinstance(s, str) else s)
    return unit, rater, score


def _codes(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes ``0..m-1`` in sorted label order, and the sorted labels.

    Non-negative integer ids in a compact range (database keys) take a bincount path that
    avoids hashing; anything else goes through ``pandas.factorize``.
    """
    if labels.dtype.kind in "iu" and labels.size:
        low, high = int(labels.min()), int(labels.max())
        if high - low <= 4 * labels.size + 1024:
            shifted = labels - low
            used = np.bincount(shifted, minlength=high - low + 1) > 0
            rank = np.cumsum(used) - 1
            return rank[shifted], np.flatnonzero(used) + low
    codes, uniques = pd.factorize(labels, sort=True)
    return codes.astype(np.int64, copy=False), np.asarray(uniques)


def _scale(
    score: pd.Series | np.ndarray, level: str, categories: Sequence | None
) -> tuple[tuple, np.ndarray, bool]:
    """Scale labels, their numeric values (positions if not numeric) and whether numeric."""
    declared = list(categories) if categories is not None else None
    if declared is not None and len(set(map(str, declared))) != len(declared):
        raise ValueError("declared categories must be distinct")
    if declared is not None:
        numeric = all(_is_number(c) for c in declared)
    else:
        numeric = isinstance(score, np.ndarray) or bool(score.map(_is_number).all())
    if level in ("interval", "ratio") and not numeric:
        raise ValueError(f"scores at {level} level must be numbers")
    if numeric:
        if declared is not None:
            values = np.sort(np.asarray([float(c) for c in declared]))
        else:
            values = np.sort(pd.unique(_numeric(score, "scores")))
        return _numeric_labels(values), values, True
    if declared is None:
        if level == "ordinal":
            raise ValueError("ordinal labels that are not numbers need declared categories")
        labels = tuple(np.unique(score.astype(str).to_numpy()).tolist())
    else:
        labels = tuple(str(c) for c in declared)
    return labels, np.arange(len(labels), dtype=np.float64), False


def _numeric_labels(values: np.ndarray) -> tuple:
    return tuple(int(v) if v == int(v) else float(v) for v in values)


def observed_scale(ratings: pd.DataFrame, level: str) -> tuple:
    """Scale points observed in long ratings (all items together), in scale order."""
    return _scale(_scores(ratings, level)[2], level, None)[0]


def prepare(
    ratings: pd.DataFrame,
    level: str,
    categories: Sequence | None = None,
) -> Ratings:
    """Check long-format ratings of one item and factorise them.

        Parameters
        ----------
        ratings : DataFrame
            Columns ``unit``, ``rater`` and ``score``. A missing score (NaN/None/empty) or a
            not-applicable marker (``NA``, ``N/A``, ``not applicable``) is not a value and is
            dropped before anything else.
        level : {"nominal", "ordinal", "interval", "ratio"}
            Level of measurement.
        categories : sequence, optional
            The rubric's declared scale points, in scale order. Scores off the scale are an
            error. When omitted, the observed scores are used (numbers sorted numerically; at
            ordinal level non-numeric labels need declared categories to fix their order).

        Returns
        -------
        Ratings

        Raises
        ------
        ValueError
            On missing columns, an unknown level, words where numbers are needed, scores off
            the declared scale, negative values at ratio level, or a rater rating a unit twice.

    References
    ----------
    Krippendorff, K. (2004). *Content analysis* (2nd ed.). Sage (the reliability data matrix
    with missing values that every coefficient here reads).

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"unit": [1, 1, 2, 2, 3], "rater": ["a", "b", "a", "b", "a"],
    ...                      "score": [2, 3, 1, None, 4]})
    >>> ratings = prepare(long, "ordinal", categories=[0, 1, 2, 3, 4])
    >>> ratings.n_units, ratings.n_raters
    (3, 2)
    """
    unit, rater, score = _scores(ratings, level)
    if categories is None and isinstance(score, np.ndarray):
        value = _numeric(score, "scores")
        whole = value.astype(np.int64)
        if (whole == value).all():
            category, category_values = _codes(whole)
        else:
            category, category_values = _codes(value)
        category_values = category_values.astype(np.float64)
        labels = _numeric_labels(category_values)
    else:
        labels, category_values, numeric = _scale(score, level, categories)
        category, value = _categorise(score, labels, category_values, numeric)
    if level == "ratio" and (value < 0).any():
        raise ValueError("scores at ratio level must not be negative")

    unit_code, unit_labels = _codes(unit)
    rater_code, rater_labels = _codes(rater)
    _check_unique(unit_code, rater_code, unit_labels, rater_labels)
    return Ratings(
        unit=unit_code,
        rater=rater_code,
        category=category.astype(np.int64, copy=False),
        value=value.astype(np.float64, copy=False),
        categories=labels,
        category_values=category_values.astype(np.float64),
        unit_labels=unit_labels,
        rater_labels=rater_labels,
    )


def _categorise(
    score: pd.Series | np.ndarray, labels: tuple, category_values: np.ndarray, numeric: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Scale position and numeric value of each score; raises on a score off the scale."""
    if numeric:
        value = _numeric(score, "scores")
        category = np.searchsorted(category_values, value)
        category = np.minimum(category, max(category_values.size - 1, 0))
        off = category_values[category] != value if value.size else np.zeros(0, bool)
    else:
        text = pd.Series(score).astype(str).to_numpy()
        category = pd.Index(labels).get_indexer(text)
        off = category < 0
        value = category_values[np.maximum(category, 0)] if text.size else np.zeros(0)
    if off.any():
        example = np.asarray(score)[np.flatnonzero(off)[0]]
        raise ValueError(f"score {example!r} is not on the declared scale {list(labels)}")
    return category, value


def _check_unique(
    unit: np.ndarray, rater: np.ndarray, unit_labels: np.ndarray, rater_labels: np.ndarray
) -> None:
    """Raise if a rater rated a unit more than once."""
    width = max(len(rater_labels), 1)
    cells = len(unit_labels) * width
    pair = unit * width + rater
    if cells <= 50_000_000:
        duplicated = bool((np.bincount(pair, minlength=cells) > 1).any())
    else:
        duplicated = np.unique(pair).size != pair.size
    if duplicated:
        i = int(np.flatnonzero(pd.Series(pair).duplicated().to_numpy())[0])
        raise ValueError(
            f"rater {rater_labels[rater[i]]!r} rated unit {unit_labels[unit[i]]!r} more than once"
        )


def shortfall(ratings: Ratings) -> str | None:
    """Why no agreement coefficient can be computed from these ratings, or None."""
    if ratings.n_ratings == 0:
        return "no ratings: every score is missing or not applicable"
    if ratings.n_raters < 2:
        return "only one rater rated this item"
    return None
