"""Intraclass correlations: the six forms of Shrout & Fleiss (1979), named as McGraw & Wong (1996).

========  ==========  ===================================================================
Key       McGraw-Wong  Model
========  ==========  ===================================================================
ICC1      ICC(1,1)    one-way random effects, absolute agreement, one rater
ICC2      ICC(A,1)    two-way random effects, absolute agreement, one rater
ICC3      ICC(C,1)    two-way mixed effects, consistency, one rater
ICC1k     ICC(1,k)    as ICC1, for the mean of the k raters
ICC2k     ICC(A,k)    as ICC2, for the mean of the k raters
ICC3k     ICC(C,k)    as ICC3, for the mean of the k raters
========  ==========  ===================================================================

Computed on the units every rater rated (listwise deletion, as Shrout & Fleiss and pingouin);
``n_units_complete`` says how many. Mean squares come in closed form from the dense unit x
rater matrix. F tests: ``MS_R / MS_W`` on ``(n - 1, n (k - 1))`` df for the one-way forms and
``MS_R / MS_E`` on ``(n - 1, (n - 1)(k - 1))`` df for the two-way forms. 95% intervals: the
exact F-based intervals of Shrout & Fleiss (1979) / McGraw & Wong (1996) for ICC1, ICC3 and
their k forms; for ICC2 and ICC2k the Satterthwaite approximation of McGraw & Wong (1996, case
2A), as in SPSS, R ``psych::ICC`` and pingouin.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from ipt_fidelity.agreement.estimate import estimate, undefined
from ipt_fidelity.agreement.ratings import Ratings, prepare

FORMS = {
    "ICC1": ("ICC(1,1)", "one-way random effects, absolute agreement, single rater"),
    "ICC2": ("ICC(A,1)", "two-way random effects, absolute agreement, single rater"),
    "ICC3": ("ICC(C,1)", "two-way mixed effects, consistency, single rater"),
    "ICC1k": ("ICC(1,k)", "one-way random effects, absolute agreement, mean of k raters"),
    "ICC2k": ("ICC(A,k)", "two-way random effects, absolute agreement, mean of k raters"),
    "ICC3k": ("ICC(C,k)", "two-way mixed effects, consistency, mean of k raters"),
}


def mean_squares(y: np.ndarray) -> dict[str, np.float64]:
    """Two-way ANOVA mean squares of a complete units x raters matrix.

    Returns ``msr`` (units), ``msc`` (raters), ``mse`` (residual) and ``msw`` (within units).
    """
    n, k = y.shape
    grand = y.mean()
    row = y.mean(axis=1)
    col = y.mean(axis=0)
    ssr = k * np.float64(((row - grand) ** 2).sum())
    ssc = n * np.float64(((col - grand) ** 2).sum())
    sse = np.float64(((y - row[:, None] - col[None, :] + grand) ** 2).sum())
    return {
        "msr": ssr / (n - 1),
        "msc": ssc / (k - 1),
        "mse": sse / ((n - 1) * (k - 1)),
        "msw": (ssc + sse) / (n * (k - 1)),
    }


def _forms(y: np.ndarray) -> dict[str, dict[str, Any]]:
    n, k = y.shape
    ms = mean_squares(y)
    msr, msc, mse, msw = ms["msr"], ms["msc"], ms["mse"], ms["msw"]
    df1, df_w, df_e = n - 1, n * (k - 1), (n - 1) * (k - 1)
    fppf = special.fdtri  # F quantile: fdtri(dfn, dfd, p) == scipy.stats.f.ppf(p, dfn, dfd)
    with np.errstate(divide="ignore", invalid="ignore"):
        icc1 = (msr - msw) / (msr + (k - 1) * msw)
        icc2 = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
        icc3 = (msr - mse) / (msr + (k - 1) * mse)
        f_w = msr / msw
        f_e = msr / mse
        f1l, f1u = f_w / fppf(df1, df_w, 0.975), f_w * fppf(df_w, df1, 0.975)
        f3l, f3u = f_e / fppf(df1, df_e, 0.975), f_e * fppf(df_e, df1, 0.975)
        fj = msc / mse
        a = n * (1 + (k - 1) * icc2) - k * icc2
        v = df_e * (k * icc2 * fj + a) ** 2 / (df1 * k**2 * icc2**2 * fj**2 + a**2)
        f2u, f2l = fppf(df1, v, 0.975), fppf(v, df1, 0.975)
        base = k * msc + (k * n - k - n) * mse
        l2 = n * (msr - f2u * mse) / (f2u * base + n * msr)
        u2 = n * (f2l * msr - mse) / (base + n * f2l * msr)
        p_w, p_e = special.fdtrc(df1, df_w, f_w), special.fdtrc(df1, df_e, f_e)
        rows = {
            "ICC1": (icc1, f_w, df_w, p_w, ((f1l - 1) / (f1l + k - 1), (f1u - 1) / (f1u + k - 1))),
            "ICC2": (icc2, f_e, df_e, p_e, (l2, u2)),
            "ICC3": (icc3, f_e, df_e, p_e, ((f3l - 1) / (f3l + k - 1), (f3u - 1) / (f3u + k - 1))),
            "ICC1k": ((msr - msw) / msr, f_w, df_w, p_w, (1 - 1 / f1l, 1 - 1 / f1u)),
            "ICC2k": (
                (msr - mse) / (msr + (msc - mse) / n),
                f_e,
                df_e,
                p_e,
                (l2 * k / (1 + l2 * (k - 1)), u2 * k / (1 + u2 * (k - 1))),
            ),
            "ICC3k": ((msr - mse) / msr, f_e, df_e, p_e, (1 - 1 / f3l, 1 - 1 / f3u)),
        }
    out = {}
    for key, (value, f, df2, p, ci) in rows.items():
        name, model = FORMS[key]
        info = {"name": name, "model": model, "df1": df1, "df2": df2}
        if not np.isfinite(value):
            out[key] = undefined(
                "the scores do not vary across units or raters, so there is no variance to "
                "partition",
                "icc",
                **info,
            )
            continue
        finite_ci = bool(np.isfinite(ci[0]) and np.isfinite(ci[1]))
        if not finite_ci:
            info["ci_note"] = (
                "the F-based 95% interval is undefined for these data (too few units for its "
                "degrees of freedom); the estimate stands without one"
            )
        out[key] = estimate(
            value,
            "icc",
            ci95=(ci[0], ci[1]) if finite_ci else None,
            F=float(f) if np.isfinite(f) else None,
            p_value=float(p) if np.isfinite(f) else None,
            **info,
        )
    return out


def icc_forms(ratings: Ratings) -> dict[str, Any]:
    """All six ICCs of prepared ratings, on the units every rater rated.

    Returns
    -------
    dict
        ``n_units``, ``n_units_complete``, ``n_raters`` and ``forms`` (ICC1 ... ICC3k, each an
        estimate record with ``name``, ``model``, ``F``, ``df1``, ``df2``, ``p_value``).
    """
    y = ratings.matrix
    complete = y[~np.isnan(y).any(axis=1)]
    n, k = complete.shape
    head = {"n_units": ratings.n_units, "n_units_complete": int(n), "n_raters": int(k)}
    reason = None
    if k < 2:
        reason = "only one rater rated this item"
    elif n < 2:
        reason = "fewer than two units were rated by every rater"
    if reason:
        forms = {
            key: undefined(reason, "icc", name=name, model=model)
            for key, (name, model) in FORMS.items()
        }
    else:
        forms = _forms(complete)
    return {**head, "forms": forms}


def icc(ratings: pd.DataFrame) -> dict[str, Any]:
    """The six Shrout & Fleiss ICCs of long ratings (columns ``unit``, ``rater``, ``score``).

    Scores must be numbers; missing scores are skipped and only units rated by every rater
    enter the ANOVA. See the module docstring for the forms, F tests and intervals.

    Returns
    -------
    dict
        ``n_units``, ``n_units_complete``, ``n_raters`` and ``forms`` keyed ``ICC1``, ``ICC2``,
        ``ICC3``, ``ICC1k``, ``ICC2k``, ``ICC3k``.
    """
    return icc_forms(prepare(ratings, "interval"))
