"""A rater against a reference rater (the expert): how far off, in which direction, how often.

Computed on the units both scored. Bias is the mean signed difference rater minus reference
(positive: the rater scores higher than the expert). Exact and within-one agreement are
proportions of those units. Absolute agreement with the expert is ICC(A,1) (Shrout & Fleiss
ICC2, McGraw & Wong 1996) with its F-based interval; ordinal agreement is Cohen's weighted
kappa with the Fleiss-Cohen-Everitt (1969) standard error (linear and quadratic weights).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ipt_fidelity.agreement.estimate import plain
from ipt_fidelity.agreement.icc import icc_forms
from ipt_fidelity.agreement.kappa import cohen_kappa
from ipt_fidelity.agreement.ratings import prepare
from ipt_fidelity.agreement.report import usage


def rater_vs_reference(
    rater_scores: pd.Series | Sequence,
    reference_scores: pd.Series | Sequence,
    categories: Sequence | None = None,
) -> dict[str, Any]:
    """Compare one rater's scores with the reference rater's on the same units.

    Parameters
    ----------
    rater_scores, reference_scores : Series or sequence
        Scores of the rater and of the reference. Series are aligned on their index (the
        unit); plain sequences are aligned by position. Missing or not-applicable scores
        drop that unit.
    categories : sequence, optional
        Declared scale points, in order (they set the kappa weights).

    Returns
    -------
    dict
        ``n_units`` (scored by both), ``bias``, ``mean_abs_diff``, ``exact_agreement``,
        ``within_one`` (None when no unit is shared), and the records ``icc_a1``,
        ``weighted_kappa_linear`` and ``weighted_kappa_quadratic``.

    References
    ----------
    McGraw, K. O., & Wong, S. P. (1996). Forming inferences about some intraclass correlation
    coefficients. *Psychological Methods*, 1, 30-46. Fleiss, J. L., Cohen, J., & Everitt,
    B. S. (1969). Large sample standard errors of kappa and weighted kappa. *Psychological
    Bulletin*, 72, 323-327.

    Examples
    --------
    A rater one point above the expert on two of four units:

    >>> result = rater_vs_reference([2, 3, 3, 1], [2, 2, 3, 0])
    >>> result["n_units"], result["bias"], result["exact_agreement"], result["within_one"]
    (4, 0.5, 0.5, 1.0)
    """
    pair = pd.concat(
        {"rater": pd.Series(rater_scores), "reference": pd.Series(reference_scores)}, axis=1
    )
    units = np.arange(len(pair))
    long = pd.DataFrame(
        {
            "unit": np.concatenate([units, units]),
            "rater": np.repeat(["rater", "reference"], len(pair)),
            "score": np.concatenate(
                [pair["rater"].to_numpy(object), pair["reference"].to_numpy(object)]
            ),
        }
    )
    ratings = prepare(long, "ordinal", categories)
    y = ratings.matrix
    if ratings.n_raters == 2:
        both = y[~np.isnan(y).any(axis=1)]
        diff = both[:, 0] - both[:, 1]  # raters are coded in label order: rater, reference
    else:
        diff = np.zeros(0)
    shared = diff.size > 0
    paired = usage(ratings, pairs=True)
    return {
        "n_units": int(diff.size),
        "bias": plain(diff.mean()) if shared else None,
        "mean_abs_diff": plain(np.abs(diff).mean()) if shared else None,
        "exact_agreement": plain((diff == 0).mean()) if shared else None,
        "within_one": plain((np.abs(diff) <= 1.0 + 1e-12).mean()) if shared else None,
        "icc_a1": icc_forms(ratings, method="anova")["forms"]["ICC2"],
        "weighted_kappa_linear": {**cohen_kappa(ratings, "linear"), **paired},
        "weighted_kappa_quadratic": {**cohen_kappa(ratings, "quadratic"), **paired},
    }


def raters_vs_reference(
    ratings: pd.DataFrame, reference: object, categories: Sequence | None = None
) -> dict[str, dict[str, Any]]:
    """Every rater against the reference rater, from long ratings.

    Parameters
    ----------
    ratings : DataFrame
        Columns ``unit``, ``rater``, ``score`` and optionally ``item`` (then a unit is an
        (item, unit) pair, so all items are pooled).
    reference : object
        Label of the reference rater in the ``rater`` column.
    categories : sequence, optional
        Declared scale points, in order.

    Returns
    -------
    dict
        Keyed by rater label (as str): the :func:`rater_vs_reference` record.

    References
    ----------
    As :func:`rater_vs_reference`.

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"unit": [1, 2, 3, 1, 2, 3], "rater": ["t"] * 3 + ["expert"] * 3,
    ...                      "score": [2, 3, 1, 2, 2, 1]})
    >>> raters_vs_reference(long, "expert")["t"]["bias"]
    0.3333333333333333
    """
    keys = ["item", "unit"] if "item" in ratings.columns else ["unit"]
    wide = ratings.pivot(index=keys, columns="rater", values="score")
    if reference not in wide.columns:
        raise ValueError(f"reference rater {reference!r} has no ratings")
    return {
        str(rater): rater_vs_reference(wide[rater], wide[reference], categories)
        for rater in wide.columns
        if rater != reference
    }


def bias_matrix(pairs: pd.DataFrame) -> pd.DataFrame:
    """Each rater's bias per item: mean of ``score - reference`` by rater (rows) and item.

    Parameters
    ----------
    pairs : DataFrame
        Columns ``rater``, ``item``, ``score`` and ``reference`` (the reference's score of the
        same unit and item). Rows where either score is missing are left out.

    Returns
    -------
    DataFrame
        Rater x item; the same definition as the ``bias`` of :func:`rater_vs_reference`
        restricted to one item. NaN where the rater never scored the item beside the reference.

    References
    ----------
    Bernardin, H. J., & Buckley, M. R. (1981). Strategies in rater training. *Academy of
    Management Review*, 6, 205-212 (leniency and severity by dimension).

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"rater": ["t", "t", "t"], "item": ["a", "a", "b"],
    ...                       "score": [3, 2, 1], "reference": [2, 2, 2]})
    >>> bias_matrix(pairs).loc["t"].tolist()
    [0.5, -1.0]
    """
    diff = pairs["score"].to_numpy(dtype=float) - pairs["reference"].to_numpy(dtype=float)
    frame = pairs[["rater", "item"]].assign(diff=diff).dropna(subset=["diff"])
    return frame.groupby(["rater", "item"], observed=True)["diff"].mean().unstack("item")


def bland_altman(
    rater_scores: pd.Series | Sequence, reference_scores: pd.Series | Sequence
) -> dict[str, Any]:
    """Bland & Altman (1986) agreement of a rater with the reference on the units both scored.

    Returns ``n``, the pairs' ``means`` and ``differences`` (rater minus reference), ``bias``
    (the mean difference), ``sd`` of the differences (n - 1) and the 95% limits of agreement
    ``low``/``high`` = bias -+ 1.96 sd. With fewer than two pairs the spread and limits are None
    and ``undefined_reason`` says why.

    References
    ----------
    Bland, J. M., & Altman, D. G. (1986). Statistical methods for assessing agreement between
    two methods of clinical measurement. *The Lancet*, 327, 307-310.

    Examples
    --------
    >>> result = bland_altman([3, 2, 4, 1], [2, 2, 3, 1])
    >>> result["bias"], round(result["sd"], 3), round(result["high"], 3)
    (0.5, 0.577, 1.632)
    """
    pair = pd.concat(
        {"rater": pd.Series(rater_scores), "reference": pd.Series(reference_scores)}, axis=1
    ).astype(float)
    pair = pair.dropna()
    a, b = pair["rater"].to_numpy(), pair["reference"].to_numpy()
    differences = a - b
    n = int(differences.size)
    result: dict[str, Any] = {
        "n": n,
        "means": ((a + b) / 2.0).tolist(),
        "differences": differences.tolist(),
        "bias": plain(differences.mean()) if n else None,
        "sd": None,
        "low": None,
        "high": None,
    }
    if n < 2:
        result["undefined_reason"] = "limits of agreement need at least two units scored by both"
        return result
    sd = float(differences.std(ddof=1))
    result.update(sd=sd, low=result["bias"] - 1.96 * sd, high=result["bias"] + 1.96 * sd)
    return result
