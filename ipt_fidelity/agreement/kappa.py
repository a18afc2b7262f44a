"""Two-rater coefficients: Cohen's kappa, weighted kappa and Scott's pi.

They are computed on the units both raters rated (pairwise deletion); the number of such
units is reported as ``n_units_paired``.

- Cohen's kappa (Cohen 1960) and weighted kappa (Cohen 1968) with linear (Cicchetti &
  Allison 1971) or quadratic (Fleiss & Cohen 1973) agreement weights from
  :mod:`ipt_fidelity.agreement.weights`. Standard error: the large-sample (non-null)
  variance of Fleiss, Cohen & Everitt (1969, Psychol Bull 72:323-327), as in SAS PROC FREQ
  and statsmodels ``cohens_kappa``; 95% interval ``kappa +- z(0.975) * se``.
- Scott's (1955) pi: chance agreement from the two raters' pooled distribution. Standard
  error: Gwet (2014, sec. 2.4); 95% interval ``pi +- t(0.975, n - 1) * se`` (irrCAC
  convention). With no missing ratings Scott's pi equals Fleiss' kappa for two raters.

Intervals are clipped to ``[-1, 1]``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ipt_fidelity.agreement.estimate import estimate, t_interval, undefined, z_interval
from ipt_fidelity.agreement.ratings import Ratings, shortfall
from ipt_fidelity.agreement.weights import agreement_weights

_EPS = 1e-12


def paired_table(ratings: Ratings) -> np.ndarray:
    """Counts of (first rater's point, second rater's point) over units both rated.

    Raters are in code order (sorted labels); the table is q x q over the scale points.
    """
    if ratings.n_raters != 2:
        raise ValueError("a paired table needs exactly two raters")
    cm = ratings.category_matrix
    both = (cm[:, 0] >= 0) & (cm[:, 1] >= 0)
    q = ratings.n_categories
    flat = np.bincount(cm[both, 0] * q + cm[both, 1], minlength=q * q)
    return flat.reshape(q, q).astype(np.float64)


def _check(ratings: Ratings) -> tuple[np.ndarray | None, str | None]:
    reason = shortfall(ratings)
    if reason:
        return None, reason
    if ratings.n_raters != 2:
        return None, f"needs exactly two raters, this item has {ratings.n_raters}"
    table = paired_table(ratings)
    if table.sum() < 2:
        return None, "fewer than two units were rated by both raters"
    return table, None


def _no_room_for_chance(n: float) -> dict[str, Any]:
    """The record when expected agreement is 1: kappa-type coefficients divide by 1 - pe."""
    return undefined(
        "both raters put every unit on the same scale point, so agreement beyond chance "
        "cannot be measured",
        "kappa",
        n_units_paired=int(n),
    )


def cohen_kappa(ratings: Ratings, weights: str | np.ndarray = "identity") -> dict[str, Any]:
    """Cohen's kappa (``weights="identity"``) or weighted kappa (``"linear"``,
    ``"quadratic"`` or a q x q agreement-weight matrix) with the Fleiss-Cohen-Everitt (1969)
    large-sample standard error."""
    table, reason = _check(ratings)
    if table is None:
        return undefined(reason or "", "kappa")
    n = table.sum()
    w = agreement_weights(ratings.category_values, weights)
    p = table / n
    row, col = p.sum(axis=1), p.sum(axis=0)
    po = float((w * p).sum())
    pe = float(row @ w @ col)
    if 1.0 - pe < _EPS:
        return _no_room_for_chance(n)
    kappa = (po - pe) / (1.0 - pe)
    w_row = w @ col
    w_col = w.T @ row
    term = (p * (w - (w_row[:, None] + w_col[None, :]) * (1.0 - kappa)) ** 2).sum()
    var = (term - (kappa - pe * (1.0 - kappa)) ** 2) / (n * (1.0 - pe) ** 2)
    se = float(np.sqrt(max(var, 0.0)))
    return estimate(
        kappa,
        "kappa",
        se=se,
        ci95=z_interval(kappa, se),
        po=po,
        pe=pe,
        n_units_paired=int(n),
    )


def scott_pi(ratings: Ratings, weights: str = "identity") -> dict[str, Any]:
    """Scott's (1955) pi for two raters with Gwet's (2014) standard error."""
    table, reason = _check(ratings)
    if table is None:
        return undefined(reason or "", "kappa")
    n = table.sum()
    w = agreement_weights(ratings.category_values, weights)
    p = table / n
    pi = (p.sum(axis=1) + p.sum(axis=0)) / 2.0
    pa = float((w * p).sum())
    pe = float(pi @ w @ pi)
    if 1.0 - pe < _EPS:
        return _no_room_for_chance(n)
    coef = (pa - pe) / (1.0 - pe)
    pbk = w.T @ pi
    term = (p * (w - (1.0 - coef) * (pbk[:, None] + pbk[None, :])) ** 2).sum()
    var = (term - (pa - 2.0 * (1.0 - coef) * pe) ** 2) / (n * (1.0 - pe) ** 2)
    se = float(np.sqrt(max(var, 0.0)))
    return estimate(
        coef,
        "kappa",
        se=se,
        ci95=t_interval(coef, se, int(n) - 1),
        pa=pa,
        pe=pe,
        n_units_paired=int(n),
    )
