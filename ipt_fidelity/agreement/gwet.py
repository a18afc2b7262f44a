"""Multi-rater chance-corrected coefficients in Gwet's framework, tolerant of missing ratings.

All share the observed agreement of Gwet (2014, Handbook of Inter-Rater Reliability, 4th ed.,
ch. 2-5) and Gwet (2008, Br J Math Stat Psychol 61:29-48): for unit ``i`` with ``r_i >= 2``
ratings and ``n_ik`` of them on scale point ``k``,

    p_a|i = sum_k n_ik (sum_l w_kl n_il - 1) / (r_i (r_i - 1)),

averaged over the units with two or more ratings. They differ in the chance agreement ``p_e``:

- Fleiss' kappa, Gwet's generalisation to missing ratings: ``sum_kl w_kl pi_k pi_l`` with
  ``pi_k`` the mean over units (with at least one rating) of ``n_ik / r_i``. With complete
  data this is Fleiss (1971).
- Conger's (1980) kappa: from each rater's own distribution over the scale (Gwet's form).
- Brennan & Prediger (1981): ``sum(w) / q**2``, uniform over the ``q`` declared points.
- Gwet's AC1 (unweighted) and AC2 (weighted): ``sum(w) / (q (q - 1)) sum_k pi_k (1 - pi_k)``.
- Percent agreement: no chance correction (``p_e = 0``).

Standard errors are Gwet's linearisation (jackknife-like) estimators without finite
population correction, and 95% intervals are ``estimate +- t(0.975, n - 1) * se`` with ``n``
the number of units rated at least once, clipped to ``[-1, 1]``; this is the irrCAC/AgreeStat
convention. Declared categories matter: they set ``q`` for Brennan-Prediger and AC1/AC2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ipt_fidelity.agreement.estimate import estimate, t_interval, undefined
from ipt_fidelity.agreement.ratings import Ratings, shortfall
from ipt_fidelity.agreement.weights import agreement_weights

_EPS = 1e-12


@dataclass(frozen=True)
class _Observed:
    """Per-unit observed agreement shared by every coefficient of the family."""

    counts: np.ndarray
    r: np.ndarray
    two: np.ndarray
    pa_i: np.ndarray
    pa: float
    pi: np.ndarray

    @property
    def n(self) -> int:
        return int(self.r.size)

    @property
    def n2(self) -> int:
        return int(self.two.sum())


def _observed(ratings: Ratings, w: np.ndarray) -> _Observed:
    counts = ratings.counts
    r = counts.sum(axis=1)
    two = r >= 2
    agree = (counts * (counts @ w.T - 1.0)).sum(axis=1)
    pa_i = np.where(two, agree / np.where(two, r * (r - 1.0), 1.0), 0.0)
    n2 = max(int(two.sum()), 1)
    pi = (counts / r[:, None]).mean(axis=0)
    return _Observed(counts, r, two, pa_i, float(pa_i.sum() / n2), pi)


def _start(ratings: Ratings, weights: str) -> tuple[np.ndarray, _Observed | None, str | None]:
    """Weights, observed agreement, and the reason the data are too thin (or None)."""
    w = agreement_weights(ratings.category_values, weights)
    reason = shortfall(ratings)
    if reason:
        return w, None, reason
    obs = _observed(ratings, w)
    if obs.n2 < 2:
        return w, None, "fewer than two units were rated by two or more raters"
    return w, obs, None


def _corrected(
    obs: _Observed, pe: float, pe_i: np.ndarray, family: str, **extra: Any
) -> dict[str, Any]:
    """Coefficient ``(p_a - p_e) / (1 - p_e)`` with Gwet's linearised variance."""
    if 1.0 - pe < _EPS:
        return undefined(
            "chance agreement is 1 (every rating is on the same scale point), so agreement "
            "beyond chance cannot be measured",
            family,
            pa=obs.pa,
            pe=pe,
        )
    n, n2 = obs.n, obs.n2
    coef = (obs.pa - pe) / (1.0 - pe)
    k_i = (n / n2) * (obs.pa_i - pe * obs.two) / (1.0 - pe)
    k_i = k_i - 2.0 * (1.0 - coef) * (pe_i - pe) / (1.0 - pe)
    se = float(np.sqrt(((k_i - coef) ** 2).sum() / (n * (n - 1.0))))
    low = 0.0 if family == "percent" else -1.0
    ci = t_interval(coef, se, n - 1, low=low)
    return estimate(coef, family, se=se, ci95=ci, pa=obs.pa, pe=pe, **extra)


def percent_agreement(ratings: Ratings, weights: str = "identity") -> dict[str, Any]:
    """Proportion of agreeing rater pairs, averaged over units with two or more ratings.

    ``weights="within_one"`` counts pairs at most one scale point apart as agreeing. The SE
    is Gwet's with ``p_e = 0``.
    """
    _, obs, reason = _start(ratings, weights)
    if obs is None:
        return undefined(reason or "", "percent")
    return _corrected(obs, 0.0, np.zeros(obs.n), "percent")


def fleiss_kappa(ratings: Ratings, weights: str = "identity") -> dict[str, Any]:
    """Fleiss' (1971) kappa; Gwet's (2014) generalisation when ratings are missing."""
    w, obs, reason = _start(ratings, weights)
    if obs is None:
        return undefined(reason or "", "kappa")
    pe = float(obs.pi @ w @ obs.pi)
    pi_w = (w @ obs.pi + w.T @ obs.pi) / 2.0
    pe_i = obs.counts @ pi_w / obs.r
    return _corrected(obs, pe, pe_i, "kappa")


def _start_on_scale(
    ratings: Ratings, weights: str
) -> tuple[np.ndarray, _Observed | None, str | None]:
    """As `_start`, for coefficients whose chance term is taken over the declared scale."""
    w, obs, reason = _start(ratings, weights)
    if obs is not None and ratings.n_categories < 2:
        return w, None, "the scale has a single point"
    return w, obs, reason


def brennan_prediger(ratings: Ratings, weights: str = "identity") -> dict[str, Any]:
    """Brennan & Prediger's (1981) coefficient, chance ``sum(w) / q**2`` over declared points."""
    w, obs, reason = _start_on_scale(ratings, weights)
    if obs is None:
        return undefined(reason or "", "kappa")
    q = ratings.n_categories
    pe = float(w.sum() / q**2)
    return _corrected(obs, pe, np.full(obs.n, pe), "kappa")


def gwet_ac(ratings: Ratings, weights: str = "identity") -> dict[str, Any]:
    """Gwet's AC1 (``weights="identity"``, Gwet 2008) or AC2 (linear/quadratic, Gwet 2014)."""
    w, obs, reason = _start_on_scale(ratings, weights)
    if obs is None:
        return undefined(reason or "", "kappa")
    q = ratings.n_categories
    scale = w.sum() / (q * (q - 1.0))
    pe = float(scale * (obs.pi * (1.0 - obs.pi)).sum())
    pe_i = scale * (obs.counts @ (1.0 - obs.pi)) / obs.r
    return _corrected(obs, pe, pe_i, "kappa")


def conger_kappa(ratings: Ratings, weights: str = "identity") -> dict[str, Any]:
    """Conger's (1980) kappa: chance agreement from each rater's own use of the scale.

    Chance agreement and variance follow Gwet (2014, sec. 5.3): with ``p_gk`` the share of
    rater ``g``'s ratings on point ``k`` and ``s2_kl`` the between-rater covariance of these
    shares, ``p_e = sum_kl w_kl (pbar_k pbar_l - s2_kl / r)``.
    """
    w, obs, reason = _start(ratings, weights)
    if obs is None:
        return undefined(reason or "", "kappa")
    n, r = obs.n, ratings.n_raters
    n_g = ratings.rater_counts.sum(axis=1)
    p = ratings.rater_counts / n_g[:, None]
    pbar = p.mean(axis=0)
    s2 = (p.T @ p - r * np.outer(pbar, pbar)) / (r - 1.0)
    pe = float((w * (np.outer(pbar, pbar) - s2 / r)).sum())
    b = r * pbar[None, :] - p
    bw = b @ w
    s = ((p @ w.T) * b).sum(axis=1)
    g, c = ratings.rater, ratings.category
    per_rating = (n / n_g[g]) * (bw[g, c] - s[g])
    lam = np.bincount(ratings.unit, weights=per_rating, minlength=n) + s.sum()
    pe_i = lam / (r * (r - 1.0))
    return _corrected(obs, pe, pe_i, "kappa")
