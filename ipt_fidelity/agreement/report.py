"""The agreement report: every coefficient that fits the level and the raters, per item.

Which coefficients appear
-------------------------
- Every level: ``percent_agreement``, ``fleiss_kappa``, ``conger_kappa``,
  ``brennan_prediger``, ``gwet_ac1`` and ``krippendorff_alpha`` (at the report's level).
- Ordinal and above add ``percent_agreement_within_one`` (pairs at most one scale point
  apart count as agreeing), ``gwet_ac2_linear`` and ``gwet_ac2_quadratic``.
- Interval and ratio add the six ICCs ``ICC1``, ``ICC2``, ``ICC3``, ``ICC1k``, ``ICC2k``,
  ``ICC3k`` (ANOVA on complete designs, REML on incomplete ones: ``method`` in each record).
- Exactly two raters on the item add ``cohen_kappa`` and ``scott_pi``, and from ordinal
  level ``weighted_kappa_linear`` and ``weighted_kappa_quadratic``.

Every record has ``estimate`` (float, or None when undefined), ``ci95``, ``se``,
``interpretation``, ``source`` and the counts it rests on (``n_units``, ``n_raters``,
``n_ratings``: see :func:`usage`); an undefined one has ``undefined_reason`` instead of a
number. The whole report is plain JSON (dict, list, str, int, float, None).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ipt_fidelity.agreement.alpha import alpha_estimate
from ipt_fidelity.agreement.gwet import (
    brennan_prediger,
    conger_kappa,
    fleiss_kappa,
    gwet_ac,
    percent_agreement,
)
from ipt_fidelity.agreement.icc import icc_forms
from ipt_fidelity.agreement.kappa import cohen_kappa, scott_pi
from ipt_fidelity.agreement.ratings import LEVELS, Ratings, observed_scale, prepare

ORDERED = ("ordinal", "interval", "ratio")
NUMERIC = ("interval", "ratio")


def coefficients(
    ratings: Ratings, level: str, n_boot: int = 1000, seed: int | None = 0
) -> dict[str, dict[str, Any]]:
    """Every coefficient that fits ``level`` and the number of raters, for prepared ratings.

    References
    ----------
    Gwet, K. L. (2014). *Handbook of inter-rater reliability* (4th ed.). Advanced Analytics.
    Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
    reliability. *Psychological Bulletin*, 86, 420-428 (Table 2, six targets by four judges).

    Examples
    --------
    >>> from ipt_fidelity.agreement.examples import shrout_fleiss_1979
    >>> long = shrout_fleiss_1979()
    >>> from ipt_fidelity.agreement import prepare
    >>> records = coefficients(prepare(long, "interval"), "interval", n_boot=0)
    >>> records["ICC2"]["name"], records["ICC2"]["n_ratings"]
    ('ICC(A,1)', 24)
    """
    out: dict[str, dict[str, Any]] = {"percent_agreement": percent_agreement(ratings)}
    ordered = level in ORDERED
    if ordered:
        out["percent_agreement_within_one"] = percent_agreement(ratings, "within_one")
    if ratings.n_raters == 2:
        out["cohen_kappa"] = cohen_kappa(ratings)
        if ordered:
            out["weighted_kappa_linear"] = cohen_kappa(ratings, "linear")
            out["weighted_kappa_quadratic"] = cohen_kappa(ratings, "quadratic")
        out["scott_pi"] = scott_pi(ratings)
    out["fleiss_kappa"] = fleiss_kappa(ratings)
    out["conger_kappa"] = conger_kappa(ratings)
    out["brennan_prediger"] = brennan_prediger(ratings)
    out["gwet_ac1"] = gwet_ac(ratings)
    if ordered:
        out["gwet_ac2_linear"] = gwet_ac(ratings, "linear")
        out["gwet_ac2_quadratic"] = gwet_ac(ratings, "quadratic")
    out["krippendorff_alpha"] = alpha_estimate(ratings, level, n_boot=n_boot, seed=seed)
    paired, shared = usage(ratings, pairs=True), usage(ratings)
    for key, record in out.items():
        counts = paired if key in TWO_RATER else shared
        out[key] = {**record, **{k: v for k, v in counts.items() if k not in record}}
    if level in NUMERIC:
        forms = icc_forms(ratings, n_boot=n_boot, seed=seed)
        for key, record in forms["forms"].items():
            out[key] = {**record, "n_units_complete": forms["n_units_complete"]}
    return out


TWO_RATER = ("cohen_kappa", "weighted_kappa_linear", "weighted_kappa_quadratic", "scott_pi")


def usage(ratings: Ratings, pairs: bool = False) -> dict[str, int]:
    """Units, raters and ratings a coefficient rests on.

        Agreement coefficients compare ratings of the same unit, so a unit counts when it has at
        least two ratings (``pairs=False``: the multi-rater coefficients and alpha) or, for the
        two-rater coefficients (``pairs=True``), when both raters rated it. The ICC records carry
        their own counts (every rating under REML; the complete units under ANOVA).

    References
    ----------
    Krippendorff, K. (2004). *Content analysis* (2nd ed.). Sage (pairable values: a unit
    counts when two or more raters rated it).

    Examples
    --------
    >>> from ipt_fidelity.agreement.examples import shrout_fleiss_1979
    >>> long = shrout_fleiss_1979()
    >>> from ipt_fidelity.agreement import prepare
    >>> usage(prepare(long.drop(index=[0, 1, 2]), "interval"))
    {'n_units': 5, 'n_raters': 4, 'n_ratings': 20}
    """
    y = ~np.isnan(ratings.matrix)
    used = y.all(axis=1) if pairs else y.sum(axis=1) >= 2
    kept = y[used]
    return {
        "n_units": int(used.sum()),
        "n_raters": int(kept.any(axis=0).sum()),
        "n_ratings": int(kept.sum()),
    }


def _scale(ratings: pd.DataFrame, level: str, categories: Sequence | None) -> tuple:
    """The scale shared by all items: declared, else observed over the whole table."""
    if categories is not None:
        return tuple(categories)
    return observed_scale(ratings, level)


def item_report(
    ratings: pd.DataFrame,
    level: str,
    categories: Sequence | None = None,
    n_boot: int = 1000,
    seed: int | None = 0,
) -> dict[str, Any]:
    """Report of one item: ``n_units``, ``n_raters``, ``n_ratings`` and ``coefficients``.

    Counts are of ratings that are values (missing and not-applicable scores excluded).

    References
    ----------
    Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
    reliability. *Psychological Bulletin*, 86, 420-428 (Table 2, six targets by four judges).

    Examples
    --------
    >>> from ipt_fidelity.agreement.examples import shrout_fleiss_1979
    >>> long = shrout_fleiss_1979()
    >>> report = item_report(long, "interval", n_boot=0)
    >>> report["n_units"], report["n_raters"], report["n_ratings"]
    (6, 4, 24)
    """
    prepared = prepare(ratings, level, categories)
    return {
        "n_units": prepared.n_units,
        "n_raters": prepared.n_raters,
        "n_ratings": prepared.n_ratings,
        "coefficients": coefficients(prepared, level, n_boot=n_boot, seed=seed),
    }


def agreement_report(
    ratings: pd.DataFrame,
    level: str,
    categories: Sequence | None = None,
    n_boot: int = 1000,
    seed: int | None = 0,
) -> dict[str, Any]:
    """Inter-rater agreement of long ratings, per item.

    Parameters
    ----------
    ratings : DataFrame
        Columns ``unit``, ``rater``, ``score`` and optionally ``item``. A missing score
        (NaN/None/empty) or a not-applicable marker (``NA``, ``N/A``, ``not applicable``) is
        not a value and is excluded first.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement of the scores; picks the coefficients (see module docstring).
    categories : sequence, optional
        The rubric's declared scale points in order. Brennan-Prediger, AC1/AC2, the
        weights and ordinal alpha depend on them. When omitted, the points observed in the
        whole table (all items) are used.
    n_boot : int
        Bootstrap replicates for Krippendorff's alpha interval (0 skips it).
    seed : int or None
        Seed of the bootstrap generator.

    Returns
    -------
    dict
        ``{"level", "categories", "items": {<item as str, or "all">: item report}}``; see
        :func:`item_report`.

    Raises
    ------
    ValueError
        When the table is malformed (see :func:`ipt_fidelity.agreement.ratings.prepare`).

    References
    ----------
    Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
    reliability. *Psychological Bulletin*, 86, 420-428 (Table 2, six targets by four judges).

    Examples
    --------
    >>> from ipt_fidelity.agreement.examples import shrout_fleiss_1979
    >>> long = shrout_fleiss_1979()
    >>> report = agreement_report(long.assign(item="warmth"), "interval", n_boot=0)
    >>> warmth = report["items"]["warmth"]
    >>> list(report["items"]), round(warmth["coefficients"]["ICC2"]["estimate"], 2)
    (['warmth'], 0.29)
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    if not isinstance(ratings, pd.DataFrame):
        raise ValueError("ratings must be a pandas DataFrame with columns unit, rater, score")
    scale = _scale(ratings, level, categories)
    if "item" in ratings.columns:
        groups = [(str(k), g) for k, g in ratings.groupby("item", sort=True, dropna=False)]
    else:
        groups = [("all", ratings)]
    items = {
        key: item_report(group, level, scale, n_boot=n_boot, seed=seed) for key, group in groups
    }
    return {
        "level": level,
        "categories": [c.item() if isinstance(c, np.generic) else c for c in scale],
        "items": items,
    }
