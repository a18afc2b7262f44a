"""The agreement dashboard's tables: people-facing names, two decimals, counts beside estimates.

Rows resting on fewer than ``MIN_UNITS`` sessions are drawn grey and say why in their note.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..agreement import HEADLINE_LABEL
from ..agreement.coefficient import interval, number
from ..training.agreement_summary import coefficient_table, summary_display
from ..training.dashboard import DashboardView
from ..training.raters import rater_agreement

GREY = "color: #9a9a9a"


def _grey_unranked(frame: pd.DataFrame):
    """The frame styled: rows marked not ranked in grey."""

    def rule(row: pd.Series) -> list[str]:
        return [GREY if row.get("ranked") == "no" else ""] * len(row)

    return frame.style.apply(rule, axis=1)


def summary_frame(summary: pd.DataFrame, first: str = "item") -> None:
    """The items (or scores) table: ranked rows worst first, then the greyed ones."""
    shown = summary_display(summary, first)
    if shown.empty:
        st.info("Nothing to show yet.")
        return
    st.dataframe(_grey_unranked(shown), hide_index=True, width="stretch")


def coefficients_frame(item: dict) -> None:
    """Every coefficient of one item, with the sessions, raters and ratings each rests on."""
    st.caption(
        f"{item['n_units']} sessions, {item['n_raters']} raters, {item['n_ratings']} scores "
        "in all; each coefficient says what it used."
    )
    st.dataframe(coefficient_table(item), hide_index=True, width="stretch")


def _signed(value: float | None) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:+.2f}"


def _share(value: float | None) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.0%}"


def raters_frame(view: DashboardView, raters: list[str]) -> pd.DataFrame:
    """Each rater against the reference, as people read it (the page draws it)."""
    table = rater_agreement(view, raters)
    return pd.DataFrame(
        {
            "rater": table["name"],
            "sessions x items": table["units"],
            "bias": table["bias"].map(_signed),
            "mean |difference|": table["mean_abs_diff"].map(lambda v: number(_none(v))),
            "exact": table["exact"].map(_share),
            "within one": table["within_one"].map(_share),
            HEADLINE_LABEL: table["icc_a1"].map(lambda v: number(_none(v))),
            f"{HEADLINE_LABEL} 95% CI": [
                "" if _none(lo) is None else interval((lo, hi))
                for lo, hi in zip(table["icc_low"], table["icc_high"], strict=True)
            ],
            "reading": table["icc_reading"].fillna("undefined"),
            "weighted kappa (quadratic)": table["kappa_quadratic"].map(lambda v: number(_none(v))),
        }
    )


def _none(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]
