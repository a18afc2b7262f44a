"""After submitting: the rater's scores beside the expert's, item by item, and a summary."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..content.models import Rubric
from ..store import can_see_reference
from ..store.targets import RateTarget
from ..training.comparison import (
    MIN_COHORT,
    comparison_table,
    headline,
    headline_sentence,
    summary,
)
from .learn_links import learn_markdown
from .state import database, library
from .widgets import transcript_view

_COLOURS = {0: "#d3f9d8", 1: "#fff3bf", 2: "#ffd8a8"}


def _colour(distance: str) -> str:
    if not distance.isdigit():
        return ""
    return f"background-color: {_COLOURS.get(int(distance), '#ffc9c9')}"


def comparison_view(user, target: RateTarget, rubric: Rubric, rating, scores: dict) -> None:
    """The comparison, shown only once the data layer says the reference is readable."""
    st.success(f"Submitted on {rating.submitted_at:%d %b %Y, %H:%M}. This rating is read-only.")
    with database(read_only=True) as db:
        allowed = can_see_reference(db, user, library(), target.id)
        table = comparison_table(db, user, target, rubric, scores)
    if target.reference is None or not allowed:
        st.info("There is no expert reference rating for this transcript.")
        st.dataframe(table[["section", "item", "yours", "your evidence"]], hide_index=True)
        return
    stats = summary(table, rubric)
    cols = st.columns(5)
    cols[0].metric("Bias (you − expert)", _num(stats["bias"]), help="Positive: more lenient.")
    cols[1].metric("Mean |difference|", _num(stats["mean_abs_diff"]))
    cols[2].metric("Exact agreement", _pct(stats["exact_agreement"]))
    cols[3].metric("Within one point", _pct(stats["within_one"]))
    icc = headline(stats)
    cols[4].metric(
        f"{icc.label} with the expert",
        icc.estimate_text,
        help=headline_sentence(stats),
    )
    st.caption(headline_sentence(stats))
    shown = ["section", "item", "yours", "expert", "distance"]
    if table["cohort median"].notna().any():
        shown.insert(4, "cohort median")
    else:
        st.caption(f"The cohort median appears once {MIN_COHORT} others have submitted.")
    display = table[shown].copy()
    for column in ("yours", "expert", "cohort median", "distance"):
        if column in display:
            display[column] = display[column].map(_text)
    st.dataframe(
        display.style.map(_colour, subset=["distance"]),
        hide_index=True,
        width="stretch",
    )
    _item_detail(target, table)


def _item_detail(target: RateTarget, table: pd.DataFrame) -> None:
    st.subheader("The expert's reasons")
    item = st.selectbox(
        "Item", list(table.index), format_func=lambda i: table.loc[i, "item"], key="cmp-item"
    )
    row = table.loc[item]
    st.markdown(
        f"**You:** {row['yours']} · **Expert:** {row['expert']}  \n"
        f"**Expert's rationale:** {row['rationale']}  \n"
        f"**Expert's evidence turns:** {row['expert evidence'] or 'none'} · "
        f"**yours:** {row['your evidence'] or 'none'}"
    )
    st.markdown(learn_markdown(library().learn.for_item(item)))
    evidence = [int(n) for n in str(row["expert evidence"]).split(", ") if n.isdigit()]
    transcript_view(target.turns, key="cmp-transcript", evidence=evidence, height=420)


def _text(value) -> str:
    """A score, N/A or a median as text (one type per column, as Arrow needs): whole numbers
    without decimals, halves with one, nothing as a dash."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _num(value) -> str:
    return "—" if value is None else f"{value:+.2f}" if value < 0 else f"{value:.2f}"


def _pct(value) -> str:
    return "—" if value is None else f"{value:.0%}"
