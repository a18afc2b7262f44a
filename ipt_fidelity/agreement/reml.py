"""ICCs of incomplete designs from REML variance components (crossed units x raters).

When some rater did not rate some unit (a rater marked an item not applicable, an auditor
co-rated only some sessions), the ANOVA forms of :mod:`ipt_fidelity.agreement.icc` would
need listwise deletion. Here every rating is used instead: the linear mixed model

    score = mu + u[unit] + r[rater] + e,   u ~ N(0, s2_unit), r ~ N(0, s2_rater), e ~ N(0, s2_resid)

(lme4: ``score ~ 1 + (1|unit) + (1|rater)``, the model of ``psych::ICC(lmer=TRUE)``) is
fitted by restricted maximum likelihood, and

- ICC(A,1) = s2_unit / (s2_unit + s2_rater + s2_resid)       (``ICC2``)
- ICC(C,1) = s2_unit / (s2_unit + s2_resid)                  (``ICC3``)
- ICC(1,1) = s2_unit / (s2_unit + s2_within) from the one-way model ``score ~ 1 + (1|unit)``
  (``ICC1``): raters are not modelled, so their differences sit in the within-unit variance,
  as in Shrout & Fleiss' case 1; psych instead reuses the two-way components.
- the average-measure forms replace the error variance by its mean over ``k`` ratings, ``k``
  the harmonic mean of the number of ratings per unit: ICC(A,k) = s2_unit / (s2_unit +
  (s2_rater + s2_resid) / k), ICC(C,k) = s2_unit / (s2_unit + s2_resid / k), ICC(1,k) =
  s2_unit / (s2_unit + s2_within / k).

Fitting
-------
The REML criterion is profiled over the relative standard deviations ``theta = (s_unit / s,
s_rater / s)`` exactly as lme4 does (Bates et al. 2015, eq. 34-42): ``log|C| + (N - 1)(1 +
log(2 pi pwrss / (N - 1)))``, with ``C`` the matrix of the penalised normal equations. Units
are absorbed in closed form (their block is diagonal), leaving a (1 + raters) square system;
units with the same number of ratings are pooled, so one evaluation costs O(raters^3),
independent of the number of ratings (the larger crossed factor is the one absorbed).
``theta >= 0`` is found by L-BFGS-B from the best point of a coarse grid, plus the two
boundary fits (one component zero) when the optimum is near the boundary, keeping the
smallest criterion.

Intervals
---------
Parametric bootstrap (Davison & Hinkley 1997, section 2.2): ``n_boot`` data sets simulated from
the fitted model on the same design (who rated what), refitted, 2.5% and 97.5% percentiles of
the replicate ICCs. Replicates are fitted together on a shared 24 x 24 grid of ``theta`` (then
a parabolic step per axis), because the criterion's matrices depend only on ``theta`` and the
design, never on the scores; the replicate ICCs are within about .005 of an exact refit.
Seeded ``numpy.random.Generator``: the same data and seed give the same interval.

References
----------
Bates, D., Maechler, M., Bolker, B. & Walker, S. (2015). Fitting linear mixed-effects models
using lme4. Journal of Statistical Software, 67(1).
McGraw, K. O. & Wong, S. P. (1996). Forming inferences about some intraclass correlation
coefficients. Psychological Methods, 1(1), 30-46.

Examples
--------
>>> import numpy as np
>>> unit = np.array([0, 0, 1, 1, 1, 2, 2, 3, 3, 3])
>>> rater = np.array([0, 1, 0, 1, 2, 1, 2, 0, 1, 2])
>>> score = np.array([1.0, 2, 4, 5, 5, 2, 3, 6, 6, 7])
>>> fit = fit_crossed(unit, rater, score)
>>> round(fit.icc_a1, 2)  # lme4::lmer on the same data: 0.913
0.91
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy import linalg, optimize, sparse

LOG_2PI = float(np.log(2 * np.pi))
THETA_MAX = 1e4


@dataclass(frozen=True)
class VarianceComponents:
    """REML variance components of one fit, and the ICCs they give.

    ``s2_rater`` is 0 for the one-way model. ``k`` is the harmonic mean of ratings per unit;
    ``intercept`` is the mean score (the parametric bootstrap's location, which REML ignores).
    """

    s2_unit: float
    s2_rater: float
    s2_resid: float
    intercept: float
    k: float
    deviance: float

    @property
    def icc_a1(self) -> float:
        return self.s2_unit / (self.s2_unit + self.s2_rater + self.s2_resid)

    @property
    def icc_c1(self) -> float:
        return self.s2_unit / (self.s2_unit + self.s2_resid)

    @property
    def icc_ak(self) -> float:
        return self.s2_unit / (self.s2_unit + (self.s2_rater + self.s2_resid) / self.k)

    @property
    def icc_ck(self) -> float:
        return self.s2_unit / (self.s2_unit + self.s2_resid / self.k)


class Design:
    """Who rated what: the parts of the REML criterion that do not depend on the scores.

    Parameters
    ----------
    unit, rater : array of int
        Codes ``0..n_units-1`` and ``0..n_raters-1`` of each rating (one per unit-rater cell).
    crossed : bool
        True for ``1 + (1|unit) + (1|rater)``; False for the one-way ``1 + (1|unit)``.
    """

    def __init__(self, unit: np.ndarray, rater: np.ndarray, crossed: bool = True) -> None:
        self.unit = np.asarray(unit, dtype=np.int64)
        self.rater = np.asarray(rater, dtype=np.int64) if crossed else None
        self.n = int(self.unit.size)
        self.n_units = int(self.unit.max()) + 1
        self.n_raters = int(self.rater.max()) + 1 if crossed else 0
        q = self.n_raters
        self.n_i = np.bincount(self.unit, minlength=self.n_units).astype(np.float64)
        w = np.zeros((self.n_units, 1 + q))
        w[:, 0] = self.n_i
        ones = np.ones(self.n)
        self.zu = sparse.csr_matrix((ones, (self.unit, np.arange(self.n))), (self.n_units, self.n))
        if crossed:
            cells = np.bincount(self.unit * q + self.rater, minlength=self.n_units * q)
            w[:, 1:] = cells.reshape(self.n_units, q)
            self.m = np.bincount(self.rater, minlength=q).astype(np.float64)
            self.zr = sparse.csr_matrix((ones, (self.rater, np.arange(self.n))), (q, self.n))
        else:
            self.m = np.zeros(0)
        self.w = w
        sizes, group = np.unique(self.n_i, return_inverse=True)
        self.group = group
        self.sizes = sizes
        self.count = np.bincount(group).astype(np.float64)
        self.members = [np.flatnonzero(group == g) for g in range(sizes.size)]
        self.P = np.stack([w[i].T @ w[i] for i in self.members])
        self.P2 = self.P.reshape(sizes.size, -1).copy()
        self.E0 = np.diag(np.concatenate([[float(self.n)], self.m]))  # [1 Zr]'[1 Zr]
        self.E0[0, 1:] = self.E0[1:, 0] = self.m
        self.k = float(self.n_units / np.sum(1.0 / self.n_i))

    def stats(self, y: np.ndarray) -> dict[str, np.ndarray]:
        """Score summaries the criterion needs, for one (N,) or several (N, R) score vectors."""
        y2 = y.reshape(self.n, -1)
        rs = self.zr @ y2 if self.n_raters else np.zeros((0, y2.shape[1]))
        return self.summaries(self.zu @ y2, rs, y2.sum(axis=0), np.einsum("nr,nr->r", y2, y2))

    def summaries(
        self, units: np.ndarray, rs: np.ndarray, sy: np.ndarray, yy: np.ndarray
    ) -> dict[str, np.ndarray]:
        """The criterion's summaries from unit sums, rater sums, the sum and sum of squares."""
        out = {"sy": sy, "yy": yy, "rs": rs}
        g = np.stack([self.w[i].T @ units[i] for i in self.members])
        out["G"] = g
        out["Q"] = np.stack([np.einsum("ir,ir->r", units[i], units[i]) for i in self.members])
        out["G2"] = np.ascontiguousarray(np.moveaxis(g, 0, -1).reshape(-1, self.sizes.size))
        out["Q2"] = np.ascontiguousarray(out["Q"].T)
        out["t0"] = np.concatenate([sy[None, :], rs])
        return out

    def criterion(
        self, tu: float, tr: float, st: dict[str, np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """REML deviance and penalised residual sum of squares at ``theta = (tu, tr)``.

        Same algebra as :func:`_criterion` for one ``theta``, with a LAPACK Cholesky solve.
        """
        q1 = 1 + self.n_raters
        inv_a = 1.0 / (tu * tu * self.sizes + 1.0)
        lam = np.full(q1, tr)
        lam[0] = 1.0
        s = self.base(tr) - tu * tu * np.outer(lam, lam) * (inv_a @ self.P2).reshape(q1, q1)
        chol = linalg.cho_factor(s, lower=True, check_finite=False)
        t = lam[:, None] * (st["t0"] - tu * tu * (st["G2"] @ inv_a).reshape(q1, -1))
        quad = tu * tu * (st["Q2"] @ inv_a) + np.einsum(
            "ir,ir->r", t, linalg.cho_solve(chol, t, check_finite=False)
        )
        pwrss = np.maximum(st["yy"] - quad, 1e-300)
        logdet = -float(self.count @ np.log(inv_a)) + 2.0 * float(np.log(np.diag(chol[0])).sum())
        df = self.n - 1
        return logdet + df * (1.0 + LOG_2PI + np.log(pwrss / df)), pwrss

    def base(self, tr: float) -> np.ndarray:
        """The (intercept, raters) block of the penalised normal equations before absorbing."""
        q1 = 1 + self.n_raters
        s = np.zeros((q1, q1))
        s[0, 0] = self.n
        if self.n_raters:
            s[0, 1:] = s[1:, 0] = tr * self.m
            s[1:, 1:][np.diag_indices(self.n_raters)] = tr * tr * self.m + 1.0
        return s

    def components(self, tu: float, tr: float, st: dict[str, np.ndarray]) -> VarianceComponents:
        """Variance components at ``theta`` for one score vector."""
        dev, pwrss = self.criterion(tu, tr, st)
        s2 = float(pwrss[0]) / (self.n - 1)
        # the mean of the scores stands in for the GLS intercept: REML and the simulated
        # replicates' variance components do not depend on the location
        return VarianceComponents(
            s2_unit=tu * tu * s2,
            s2_rater=tr * tr * s2,
            s2_resid=s2,
            intercept=float(st["sy"][0]) / self.n,
            k=self.k,
            deviance=float(dev[0]),
        )


def _minimise(design: Design, st: dict[str, np.ndarray]) -> tuple[float, float]:
    """The ``theta`` minimising the REML criterion for one score vector.

    Starts from the best point of the bootstrap's grid (so a far-away local minimum or a
    boundary optimum is not missed), then L-BFGS-B with ``theta >= 0`` (lme4 uses BOBYQA
    with the same bounds).
    """
    su, sr, s2 = _grid_fit(design, st, COARSE)
    dims = 2 if design.n_raters else 1
    start = np.sqrt(np.array([su[0], sr[0]])[:dims] / s2[0])

    def dev(x: np.ndarray) -> float:
        return float(design.criterion(x[0], x[1] if dims == 2 else 0.0, st)[0][0])

    candidates = [(dev(start), start)]

    def dev_grad(x: np.ndarray) -> tuple[float, np.ndarray]:
        """The criterion and its forward-difference gradient (cheaper than scipy's helper)."""
        f0 = dev(x)
        grad = np.empty(dims)
        for i in range(dims):
            h = 1e-7 * (1.0 + abs(x[i]))
            step = x.copy()
            step[i] += h
            grad[i] = (dev(step) - f0) / h
        return f0, grad

    res = optimize.minimize(  # off the boundary: the criterion is flat in theta there
        dev_grad,
        np.maximum(start, 0.1),
        jac=True,
        method="L-BFGS-B",
        bounds=[(0.0, THETA_MAX)] * dims,
        options={"ftol": 1e-14, "gtol": 1e-10, "maxiter": 500},
    )
    candidates.append((float(res.fun), res.x))
    near = dims == 2 and min(*res.x, *start) < 0.05
    for free in range(dims) if near else ():  # one component on its boundary, zero

        def along(v: float, free: int = free) -> float:
            x = np.zeros(2)
            x[free] = v
            return dev(x)

        top = max(4.0 * start[free], 10.0)
        line = optimize.minimize_scalar(
            along, bounds=(0.0, top), method="bounded", options={"xatol": 1e-9}
        )
        x = np.zeros(2)
        x[free] = line.x
        candidates.append((float(line.fun), x))
    x = min(candidates, key=lambda c: c[0])[1]
    return float(x[0]), float(x[1]) if dims == 2 else 0.0


def _swapped(fit: VarianceComponents) -> VarianceComponents:
    return replace(fit, s2_unit=fit.s2_rater, s2_rater=fit.s2_unit)


def _absorb_raters(unit: np.ndarray, rater: np.ndarray) -> bool:
    """True when raters outnumber units: the model is symmetric in its two crossed factors, so
    the larger one is absorbed in closed form and the dense system is the smaller one's."""
    return int(np.max(rater)) > int(np.max(unit))


def fit_crossed(unit: np.ndarray, rater: np.ndarray, score: np.ndarray) -> VarianceComponents:
    """REML fit of ``score ~ 1 + (1|unit) + (1|rater)`` (codes from 0, one rating per cell).

    References
    ----------
    Patterson, H. D., & Thompson, R. (1971). Recovery of inter-block information when block sizes
    are unequal. *Biometrika*, 58, 545-554. Bates, D., Maechler, M., Bolker, B., & Walker, S.
    (2015). Fitting linear mixed-effects models using lme4. *Journal of Statistical Software*,
    67(1).

    Examples
    --------
    >>> from ipt_fidelity.agreement.examples import shrout_fleiss_1979
    >>> long = shrout_fleiss_1979()
    >>> unit, rater, score = (long[c].to_numpy() for c in ("unit", "rater", "score"))
    >>> fit = fit_crossed(unit, rater, score)
    >>> round(fit.s2_unit, 3), round(fit.s2_rater, 3), round(fit.s2_resid, 3)
    (2.556, 5.244, 1.019)

    On complete data these are the ANOVA components of Shrout & Fleiss (1979):
    ``(BMS - EMS) / k``, ``(JMS - EMS) / n`` and ``EMS``.
    """
    swap = _absorb_raters(unit, rater)
    design = Design(rater, unit, crossed=True) if swap else Design(unit, rater, crossed=True)
    st = design.stats(np.asarray(score, dtype=np.float64))
    fit = design.components(*_minimise(design, st), st)
    if swap:
        return replace(_swapped(fit), k=Design(unit, unit, crossed=False).k)
    return fit


def fit_one_way(unit: np.ndarray, score: np.ndarray) -> VarianceComponents:
    """REML fit of ``score ~ 1 + (1|unit)``; ``s2_resid`` is the within-unit variance.

    References
    ----------
    Patterson, H. D., & Thompson, R. (1971). Recovery of inter-block information when block sizes
    are unequal. *Biometrika*, 58, 545-554. Bates, D., Maechler, M., Bolker, B., & Walker, S.
    (2015). Fitting linear mixed-effects models using lme4. *Journal of Statistical Software*,
    67(1).

    Examples
    --------
    >>> from ipt_fidelity.agreement.examples import shrout_fleiss_1979
    >>> long = shrout_fleiss_1979()
    >>> unit, rater, score = (long[c].to_numpy() for c in ("unit", "rater", "score"))
    >>> fit = fit_one_way(unit, score)
    >>> round(fit.s2_unit / (fit.s2_unit + fit.s2_resid), 2)  # ICC(1,1) of Shrout & Fleiss
    0.17
    """
    design = Design(unit, unit, crossed=False)
    st = design.stats(np.asarray(score, dtype=np.float64))
    return design.components(*_minimise(design, st), st)


GRID = np.linspace(0.0, 0.97, 24)  # g, with share theta^2 / (1 + theta^2) = 1 - (1 - g)^2


COARSE = np.linspace(0.0, 0.97, 8)  # the point estimate's starting grid


def _share(g: np.ndarray) -> np.ndarray:
    """Grid coordinate to the share ``theta^2 / (1 + theta^2)`` (finer near 1, to .9991)."""
    g = np.clip(g, 0.0, 0.97)
    return 1.0 - (1.0 - g) ** 2


def _criterion(design: Design, tu: float, trs: np.ndarray, st: dict) -> tuple:
    """REML deviance and pwrss at ``(tu, tr)`` for every ``tr`` in ``trs``: arrays (T, R).

    ``log|C| = sum log a_i + log|S|`` with ``a_i = tu^2 n_i + 1`` the absorbed unit block and
    ``S = L A L + D`` its Schur complement on (intercept, raters), ``L = diag(1, tr, ..., tr)``,
    ``D = diag(0, 1, ..., 1)`` and ``A`` depending on ``tu`` only. With ``t = L b``,
    ``t' S^-1 t = b' (A + c D)^-1 b`` (``c = 1 / tr^2``), and ``A + c D = (A + c I) - c e0 e0'``:
    one eigendecomposition of ``A`` per ``tu`` serves every ``tr`` (Sherman-Morrison for the
    rank-one term), so a grid row costs O(q^3 + q^2 R) and each of its points O(q R).
    """
    q = design.n_raters
    q1 = 1 + q
    inv_a = 1.0 / (tu * tu * design.sizes + 1.0)
    a = design.E0 - tu * tu * (inv_a @ design.P2).reshape(q1, q1)
    b = st["t0"] - tu * tu * (st["G2"] @ inv_a).reshape(q1, -1)
    quad = np.empty((trs.size, b.shape[1]))
    logdet = np.empty(trs.size)
    zero = trs <= 0.0
    quad[zero] = b[0] ** 2 / a[0, 0]  # tr = 0: the raters drop out, S = [[A00, 0], [0, I]]
    logdet[zero] = np.log(a[0, 0])
    if q and (~zero).any():
        alpha, vecs = np.linalg.eigh(a)
        alpha = np.maximum(alpha, 0.0)  # A is positive semi-definite; rounding aside
        y = vecs.T @ b
        y2, v0 = y * y, vecs[0]
        c = 1.0 / trs[~zero] ** 2
        d = 1.0 / (alpha[None, :] + c[:, None])  # (T, q1)
        s1 = (d * v0) @ y
        denom = 1.0 - c * (d * v0 * v0).sum(axis=1)
        quad[~zero] = d @ y2 + (c / denom)[:, None] * s1 * s1
        logdet[~zero] = 2 * q * np.log(trs[~zero]) - np.log(d).sum(axis=1) + np.log(denom)
    quad += tu * tu * (st["Q2"] @ inv_a)[None, :]
    pwrss = np.maximum(st["yy"][None, :] - quad, 1e-300)
    df = design.n - 1
    logdet = logdet - float(design.count @ np.log(inv_a))
    return logdet[:, None] + df * (1.0 + LOG_2PI + np.log(pwrss / df)), pwrss


def _parabola(dev: np.ndarray, at: np.ndarray, size: int) -> np.ndarray:
    """Offset (in grid steps, within [-1, 1]) of the vertex of the parabola through 3 points."""
    inner = (at > 0) & (at < size - 1)
    lo, mid, hi = (
        np.take_along_axis(dev, np.clip(at + d, 0, size - 1)[None], 0)[0] for d in (-1, 0, 1)
    )
    curv = lo - 2 * mid + hi
    with np.errstate(divide="ignore", invalid="ignore"):
        off = np.where(inner & (curv > 0), 0.5 * (lo - hi) / curv, 0.0)
    return np.clip(off, -1.0, 1.0)


def _grid_fit(
    design: Design, st: dict[str, np.ndarray], grid: np.ndarray = GRID
) -> tuple[np.ndarray, ...]:
    """Approximate REML components of many score vectors at once on a shared ``theta`` grid.

    The criterion is evaluated on a 24 x 24 grid of shares ``theta^2 / (1 + theta^2)`` from
    0 to .9991 (the matrices depend only on the design), each replicate takes its best grid
    point and moves to the vertex of the parabola through its neighbours along each axis.
    """
    crossed = design.n_raters > 0
    r = st["sy"].size
    gr = grid if crossed else np.zeros(1)
    trs = np.sqrt(_share(gr) / (1 - _share(gr)))
    dev = np.empty((grid.size, gr.size, r))
    pw = np.empty_like(dev)
    for i, ru in enumerate(_share(grid)):
        dev[i], pw[i] = _criterion(design, np.sqrt(ru / (1 - ru)), trs, st)
    flat = dev.reshape(-1, r).argmin(axis=0)
    iu, ir = np.unravel_index(flat, (grid.size, gr.size))
    cols = np.arange(r)
    step = grid[1] - grid[0]
    ru = grid[iu] + step * _parabola(dev[:, ir, cols], iu, grid.size)
    rr = gr[ir]
    if crossed:
        rr = rr + step * _parabola(dev[iu, :, cols].T, ir, gr.size)
    s2 = pw[iu, ir, cols] / (design.n - 1)
    ru, rr = _share(ru), _share(rr) if crossed else np.zeros(r)
    return ru / (1 - ru) * s2, rr / (1 - rr) * s2, s2


def _simulate(
    design: Design, fit: VarianceComponents, z: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Score summaries of data simulated from ``fit`` with the standard normals ``z``.

    ``y = mu + a u[unit] + b r[rater] + c e`` is never formed: its unit and rater sums, total
    and sum of squares follow from ``u``, ``r`` and the residuals' own sums (``z["e_units"]``
    = Zu'e, ``z["e_raters"]`` = Zr'e, ``z["e_sum"]``, ``z["e_squares"]``), which is what makes
    a thousand replicates of 20,000 ratings cheap.
    """
    mu = fit.intercept
    a, c = np.sqrt(fit.s2_unit), np.sqrt(fit.s2_resid)
    b = np.sqrt(fit.s2_rater) if design.n_raters else 0.0
    n_i, u = design.n_i[:, None], z["unit"]
    w = design.w[:, 1:]
    m = design.m[:, None]
    r = z["rater"] if design.n_raters else np.zeros((0, u.shape[1]))
    wr = w @ r
    units = mu * n_i + a * n_i * u + b * wr + c * z["e_units"]
    rs = mu * m + a * (w.T @ u) + b * m * r + c * z["e_raters"] if design.n_raters else r
    nu, mr = (n_i * u).sum(axis=0), (m * r).sum(axis=0)
    sy = mu * design.n + a * nu + b * mr + c * z["e_sum"]
    ff = (
        design.n * mu * mu
        + a * a * (n_i * u * u).sum(axis=0)
        + b * b * (m * r * r).sum(axis=0)
        + 2 * mu * (a * nu + b * mr)
        + 2 * a * b * (u * wr).sum(axis=0)
    )
    fe = mu * z["e_sum"] + a * (u * z["e_units"]).sum(axis=0)
    if design.n_raters:
        fe = fe + b * (r * z["e_raters"]).sum(axis=0)
    yy = ff + 2 * c * fe + c * c * z["e_squares"]
    return design.summaries(units, rs, sy, yy)


class _ResidualSums:
    """Draws of the residuals' sums ``Zu'e``, ``Zr'e``, ``sum e`` and ``e'e`` without ``e``.

    Unit sums are independent, ``N(0, n_i)``; the rater sums given them are ``W' diag(1/n) Zu'e``
    plus ``delta ~ N(0, K)``, ``K = diag(m) - W' diag(1/n) W`` (raters x raters); and ``e'e`` is
    the squared length of the projection on the design's columns (the standard normals behind
    the two draws) plus an independent chi-square on ``N - rank`` degrees of freedom. Exact in
    distribution, with ``units + raters`` normal draws per replicate instead of ``N``.
    """

    def __init__(self, design: Design) -> None:
        self.design = design
        w = design.w[:, 1:]
        kernel = np.diag(design.m) - w.T @ (w / design.n_i[:, None])
        kappa, vecs = np.linalg.eigh(kernel) if design.n_raters else (np.zeros(0), None)
        keep = kappa > max(float(kappa.max(initial=0.0)), 1.0) * 1e-10
        self.root = vecs[:, keep] * np.sqrt(kappa[keep]) if design.n_raters else None
        self.rank = int(keep.sum())
        self.df = design.n - design.n_units - self.rank

    def draw(self, rng: np.random.Generator, r: int) -> dict[str, np.ndarray]:
        d = self.design
        g_u = rng.standard_normal((d.n_units, r))
        units = np.sqrt(d.n_i)[:, None] * g_u
        squares = np.einsum("ir,ir->r", g_u, g_u)
        raters = np.zeros((d.n_raters, r))
        if d.n_raters:
            g_r = rng.standard_normal((self.rank, r))
            raters = self.root @ g_r + d.w[:, 1:].T @ (units / d.n_i[:, None])
            squares += np.einsum("ir,ir->r", g_r, g_r)
        if self.df > 0:
            squares += rng.chisquare(self.df, r)
        return {
            "e_units": units,
            "e_raters": raters,
            "e_sum": units.sum(axis=0),
            "e_squares": squares,
        }


def bootstrap(
    unit: np.ndarray,
    rater: np.ndarray,
    fits: tuple[VarianceComponents, VarianceComponents],
    n_boot: int,
    seed: int | None = 0,
    chunk: int = 1000,
) -> dict[str, np.ndarray]:
    """Replicate ICCs of a parametric bootstrap from the crossed and the one-way fit."""
    rng = np.random.default_rng(seed)
    swap = _absorb_raters(unit, rater)
    crossed = Design(rater, unit, True) if swap else Design(unit, rater, True)
    one_way = Design(unit, unit, False)
    two_way_fit = _swapped(fits[0]) if swap else fits[0]
    k = one_way.k
    residuals = _ResidualSums(crossed)
    out: dict[str, list[np.ndarray]] = {key: [] for key in ICC_KEYS}
    done = 0
    while done < n_boot:
        r = min(chunk, n_boot - done)
        z = {
            "unit": rng.standard_normal((crossed.n_units, r)),
            "rater": rng.standard_normal((crossed.n_raters, r)),
            **residuals.draw(rng, r),
        }
        su, sr, se = _grid_fit(crossed, _simulate(crossed, two_way_fit, z))
        if swap:
            su, sr = sr, su
        if swap:  # the crossed design's "raters" are the units
            z = {**z, "unit": z["rater"], "e_units": z["e_raters"]}
        su1, _, sw = _grid_fit(one_way, _simulate(one_way, fits[1], z))
        with np.errstate(divide="ignore", invalid="ignore"):
            out["ICC1"].append(su1 / (su1 + sw))
            out["ICC2"].append(su / (su + sr + se))
            out["ICC3"].append(su / (su + se))
            out["ICC1k"].append(su1 / (su1 + sw / k))
            out["ICC2k"].append(su / (su + (sr + se) / k))
            out["ICC3k"].append(su / (su + se / k))
        done += r
    return {key: np.concatenate(v) for key, v in out.items()}


ICC_KEYS = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")


def reml_iccs(
    unit: np.ndarray, rater: np.ndarray, score: np.ndarray, n_boot: int = 1000, seed: int | None = 0
) -> dict[str, Any]:
    """The six ICCs of an incomplete crossed design, with parametric-bootstrap 95% intervals.

    Returns
    -------
    dict
        ``estimates`` and ``ci95`` (``None`` when ``n_boot`` is 0) keyed ``ICC1``..``ICC3k``,
        ``components`` (two-way ``s2_unit``, ``s2_rater``, ``s2_resid``; one-way
        ``s2_unit_one_way``, ``s2_within``) and ``k`` (harmonic mean of ratings per unit).

    References
    ----------
    Patterson, H. D., & Thompson, R. (1971). Recovery of inter-block information when block sizes
    are unequal. *Biometrika*, 58, 545-554. Bates, D., Maechler, M., Bolker, B., & Walker, S.
    (2015). Fitting linear mixed-effects models using lme4. *Journal of Statistical Software*,
    67(1).
    Davison, A. C., & Hinkley, D. V. (1997). *Bootstrap methods and their application*.
    Cambridge University Press (section 2.2, the parametric bootstrap).

    Examples
    --------
    >>> from ipt_fidelity.agreement.examples import shrout_fleiss_1979
    >>> long = shrout_fleiss_1979()
    >>> unit, rater, score = (long[c].to_numpy() for c in ("unit", "rater", "score"))
    >>> result = reml_iccs(unit, rater, score, n_boot=0)
    >>> round(result["estimates"]["ICC2"], 2), result["k"]
    (0.29, 4.0)
    """
    score = np.asarray(score, dtype=np.float64)
    if np.ptp(score) == 0:
        nan = float("nan")
        return {
            "estimates": dict.fromkeys(ICC_KEYS, nan),
            "ci95": dict.fromkeys(ICC_KEYS),
            "components": dict.fromkeys(
                ("s2_unit", "s2_rater", "s2_resid", "s2_unit_one_way", "s2_within"), 0.0
            ),
            "k": Design(unit, rater).k,
        }
    two = fit_crossed(unit, rater, score)
    one = fit_one_way(unit, score)
    one_k = one.s2_unit / (one.s2_unit + one.s2_resid / one.k)
    estimates = {
        "ICC1": one.icc_c1,
        "ICC2": two.icc_a1,
        "ICC3": two.icc_c1,
        "ICC1k": one_k,
        "ICC2k": two.icc_ak,
        "ICC3k": two.icc_ck,
    }
    ci: dict[str, tuple[float, float] | None] = dict.fromkeys(ICC_KEYS)
    if n_boot > 0:
        reps = bootstrap(unit, rater, (two, one), n_boot, seed)
        for key, values in reps.items():
            values = values[np.isfinite(values)]
            if values.size:
                lo, hi = np.percentile(values, [2.5, 97.5])
                ci[key] = (float(lo), float(hi))
    return {
        "estimates": estimates,
        "ci95": ci,
        "components": {
            "s2_unit": two.s2_unit,
            "s2_rater": two.s2_rater,
            "s2_resid": two.s2_resid,
            "s2_unit_one_way": one.s2_unit,
            "s2_within": one.s2_resid,
        },
        "k": two.k,
    }
