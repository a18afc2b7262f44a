"""The agreement summary: one row per item or score, ranked only where enough sessions support it.

The headline coefficient is ``agreement.HEADLINE`` (ICC(A,1)): on complete designs its ANOVA
estimate, on incomplete ones its REML estimate on every rating. A coefficient resting on fewer
than ``MIN_UNITS`` sessions is kept but not ranked: its row goes after the ranked rows, says
why ("rests on 2 sessions; needs 5") and never counts as a "worst" item. Where the ICC and
Krippendorff's alpha read a band or more apart, the row says why (``agreement.why_they_differ``).

``summary_display`` and ``coefficient_table`` turn the rows into what people read: named
columns, two decimals, intervals as ``[0.12, 0.88]``, no empty cells spelled ``None``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..agreement import (
    HEADLINE,
    HEADLINE_LABEL,
    MIN_UNITS,
    READING_RULE,
    Coefficient,
    coefficient_views,
    raters_needed,
    spearman_brown,
    why_they_differ,
)
from ..agreement.coefficient import interval, number
from ..content.models import Rubric

TARGETS = (0.75, 0.80, 0.90)
UNIT_WORD = "sessions"

ICC_FORM = (
    f"{HEADLINE_LABEL}, two-way random effects, absolute agreement, single rater: the raters stand "
    "for trainees the programme will certify, each of whom will later score alone on the "
    "rubric's absolute scale. When some rater skipped a session or marked an item not "
    "applicable, it is estimated by REML from every rating (no session is dropped)."
)
CAPTION = (
    f"{READING_RULE} ICC bands: Koo & Li (2016); alpha: Krippendorff (2004), at least .800 "
    f"reliable, .667 tentative. Items are ranked worst first on {HEADLINE_LABEL}; an item "
    f"resting on fewer than {MIN_UNITS} sessions is listed last, greyed, and never called "
    "worst. Not-applicable scores are left out, never counted as agreement."
)


def _scale_span(rubric: Rubric) -> float | None:
    points = [p for p in rubric.scale.points if isinstance(p, int | float)]
    return float(max(points) - min(points)) if len(points) > 1 else None


def _estimate(views: dict[str, Coefficient], key: str) -> float | None:
    return views[key].estimate if key in views else None


def summary_table(
    reports: dict[str, dict[str, Any]],
    labels: dict[str, str],
    rubric: Rubric,
    confused: dict[str, str],
    min_units: int = MIN_UNITS,
) -> pd.DataFrame:
    """One row per item or composite: ranked rows worst first, then the under-supported ones."""
    kinds = {item.id: item.kind for item in rubric.items}
    span = _scale_span(rubric)
    rows = []
    for key, report in reports.items():
        views = coefficient_views(report)
        empty = Coefficient.from_record(HEADLINE, None, report)
        icc = views.get(HEADLINE, empty)
        alpha = views.get("krippendorff_alpha", Coefficient.from_record("krippendorff_alpha", None))
        shortfall = icc.shortfall(UNIT_WORD, min_units)
        ranked = not shortfall
        rows.append(
            {
                "key": key,
                "label": labels.get(key, key),
                "group": "item" if key in kinds else "composite",
                "kind": kinds.get(key, ""),
                "units": report["n_units"],
                "raters": report["n_raters"],
                "ratings": report["n_ratings"],
                "icc": icc.estimate,
                "icc_low": icc.ci95[0] if icc.ci95 else None,
                "icc_high": icc.ci95[1] if icc.ci95 else None,
                "icc_reading": icc.reading,
                "icc_units": icc.n_units,
                "icc_raters": icc.n_raters,
                "icc_ratings": icc.n_ratings,
                "icc_method": icc.method,
                "alpha": alpha.estimate,
                "alpha_low": alpha.ci95[0] if alpha.ci95 else None,
                "alpha_high": alpha.ci95[1] if alpha.ci95 else None,
                "alpha_reading": alpha.reading,
                "exact": _estimate(views, "percent_agreement"),
                "within_one": _estimate(views, "percent_agreement_within_one"),
                "headline": icc.estimate if ranked else None,
                "ranked": ranked,
                "shortfall": shortfall,
                "why_differ": why_they_differ(report, span if key in kinds else None, UNIT_WORD),
                "confused": confused.get(key, ""),
                "why_undefined": icc.undefined_reason,
            }
        )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table = table.sort_values(["ranked", "headline"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)


def decision_study(reports: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """Raters needed for each target reliability, from the single-rater ICC (Spearman-Brown)."""
    rows = []
    for key, report in reports.items():
        r1 = (report["coefficients"].get(HEADLINE) or {}).get("estimate")
        needed = {f"k_{t:.2f}": (raters_needed(r1, t) if r1 is not None else None) for t in TARGETS}
        rows.append({"key": key, "r1": r1, **needed})
    return pd.DataFrame(rows, columns=["key", "r1", *(f"k_{t:.2f}" for t in TARGETS)])


def prophecy_curve(r1: float, max_raters: int = 10) -> pd.DataFrame:
    """Reliability of the mean of 1..max_raters raters (Spearman-Brown), for the curve."""
    ks = range(1, max_raters + 1)
    return pd.DataFrame({"raters": list(ks), "reliability": [spearman_brown(r1, k) for k in ks]})


def poorly_agreed(summary: pd.DataFrame) -> list[str]:
    """Labels of the ranked items whose headline reading is poor (never an under-supported one)."""
    if summary.empty:
        return []
    items = summary[(summary["group"] == "item") & summary["ranked"]]
    return list(items.loc[items["icc_reading"].str.startswith("poor"), "label"])


def _percent(value: float | None) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.0%}"


def _num(value: Any) -> str:
    return number(None if value is None or pd.isna(value) else float(value))


def _ci(low: Any, high: Any) -> str:
    return "" if low is None or pd.isna(low) else interval((low, high))


def summary_display(summary: pd.DataFrame, first: str = "item") -> pd.DataFrame:
    """The summary as people read it: named columns, text numbers, a note per row."""
    rows = []
    for row in summary.itertuples(index=False):
        note = row.shortfall or row.why_undefined
        if not note and row.why_differ:
            note = f"{HEADLINE_LABEL} and alpha differ: {row.why_differ}"
        rows.append(
            {
                first: row.label,
                "sessions": int(row.icc_units),
                "raters": int(row.icc_raters),
                "ratings": int(row.icc_ratings),
                HEADLINE_LABEL: _num(row.icc),
                f"{HEADLINE_LABEL} 95% CI": _ci(row.icc_low, row.icc_high),
                f"{HEADLINE_LABEL} reading": row.icc_reading,
                "alpha": _num(row.alpha),
                "alpha 95% CI": _ci(row.alpha_low, row.alpha_high),
                "alpha reading": row.alpha_reading,
                "exact": _percent(row.exact),
                "within one": _percent(row.within_one),
                "points most often split": row.confused or "",
                "ranked": "yes" if row.ranked else "no",
                "note": note or "",
            }
        )
    return pd.DataFrame(rows)


def coefficient_table(item: dict[str, Any]) -> pd.DataFrame:
    """Every coefficient of one item report with the counts it rests on, as people read it."""
    rows = []
    for c in coefficient_views(item).values():
        rows.append(
            {
                "coefficient": c.label,
                "estimate": c.estimate_text,
                "95% CI": c.ci_text,
                "reading": c.reading,
                "source": c.source,
                "sessions": c.n_units,
                "raters": c.n_raters,
                "ratings": c.n_ratings,
                "method": {"reml": "REML, every rating", "anova": "ANOVA"}.get(c.method, ""),
                "note": c.shortfall(UNIT_WORD),
            }
        )
    return pd.DataFrame(rows)
