"""Agreement dashboard: per item and per score, which items raters read differently, who drifts."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from ...agreement import HEADLINE_LABEL
from ...agreement.coefficient import number
from ...content.library import Library
from ...content.models import Rubric
from ...store import list_cohorts
from ...store.targets import shipped_title
from ...training.agreement_summary import CAPTION, ICC_FORM
from ...training.dashboard import TARGETS, DashboardView, Scope, cohort_view
from ...training.drill_history import cohort_drill_results
from ...training.problem_areas import area_agreement, area_choices, area_confusion
from .. import charts
from ..dashboard_charts import (
    DRIFT_SHOWN,
    MANY_RATERS,
    bland_altman_chart,
    confusion_chart,
    default_raters,
    drift_chart,
    dstudy_chart,
    heatmap,
    items_chart,
    totals_chart,
)
from ..dashboard_tables import coefficients_frame, raters_frame, summary_frame
from ..state import database, library, require_role
from ..widgets import anchors_table


def render() -> None:
    user = require_role("supervisor", "admin")
    st.title("Agreement dashboard")
    lib = library()
    with database(read_only=True) as db:
        cohorts = list_cohorts(db, user)
    rubrics = {r.id: r for r in lib.rubrics.values() if r.target == "session"}
    if not cohorts or not rubrics:
        st.info("No cohort or session rubric yet: create a cohort under Cohorts and assignments.")
        return
    scope, rubric = _scope(cohorts, rubrics)
    with database(read_only=True) as db:
        with st.spinner("Computing agreement (once per new submission)…", show_time=True):
            full = cohort_view(db, user, replace(scope, sessions=()), rubric, lib)
        chosen = _sessions(full, lib)
        view = full
        if chosen:
            with st.spinner("Computing agreement for the chosen sessions…", show_time=True):
                view = cohort_view(db, user, replace(scope, sessions=chosen), rubric, lib)
        choices = area_choices(db, user, scope.cohort_id, lib)
        drill_results = cohort_drill_results(db, user, scope.cohort_id)
    items, totals, raters, dstudy, areas, drills = st.tabs(
        ["Items", "Sections and total", "Raters", "Decision study", "Problem areas", "Drills"]
    )
    with areas:
        _problem_areas(choices, scope.with_expert)
    with drills:
        _drills(drill_results, rubric)
    if view.ratings.empty:
        for tab in (items, totals, raters, dstudy):
            tab.info("No submitted ratings with this rubric in this cohort yet.")
        return
    with items:
        _items(view, rubric)
    with totals:
        _totals(view)
    with raters:
        _raters(view)
    with dstudy:
        _decision_study(view)


def _scope(cohorts: list, rubrics: dict[str, Rubric]) -> tuple[Scope, Rubric]:
    left, middle, right = st.columns([2, 2, 3])
    names = {c.id: c.name for c in cohorts}
    cohort_id = left.selectbox("Cohort", list(names), format_func=names.get, key="dash-cohort")
    rubric_id = middle.selectbox(
        "Rubric", list(rubrics), format_func=lambda r: rubrics[r].title, key="dash-rubric"
    )
    with right:
        with_expert = st.toggle("Count the expert as a rater", key="dash-expert")
        basis = st.radio(
            "Deviations from",
            ["expert", "consensus"],
            horizontal=True,
            key="dash-basis",
            help="The expert's reference rating, or the raters' median score of each item.",
        )
        staff = st.toggle("Include supervisors' own ratings", key="dash-staff")
    return Scope(cohort_id, rubric_id, (), with_expert, basis, staff), rubrics[rubric_id]


def _sessions(view: DashboardView, lib: Library) -> tuple[str, ...]:
    units = sorted(set(view.ratings["unit"]))
    chosen = st.multiselect(
        "Sessions (none chosen: all)",
        units,
        format_func=lambda s: shipped_title(lib, s) if s in lib.sessions else s,
        key="dash-sessions",
    )
    return tuple(sorted(chosen))


def _items(view: DashboardView, rubric: Rubric) -> None:
    st.markdown(f"**ICC form: {HEADLINE_LABEL}.** {ICC_FORM}")
    st.caption(CAPTION)
    items = view.summary[view.summary["group"] == "item"]
    summary_frame(items)
    st.plotly_chart(items_chart(view), key="dash-items-chart")
    labels = dict(zip(items["key"], items["label"], strict=True))
    item_id = st.selectbox(
        "Look closer at an item (worst first)",
        list(labels),
        format_func=labels.get,
        key="dash-item",
    )
    if item_id is None:
        return
    coefficients_frame(view.report["items"][item_id])
    confusion = view.confusion.get(item_id)
    left, right = st.columns(2)
    if confusion is not None:
        left.plotly_chart(confusion_chart(view, item_id), key="dash-confusion")
    with right:
        st.markdown("**Anchors** (rewrite the ones raters split on)")
        st.markdown(anchors_table(rubric, rubric.item(item_id)))


def _totals(view: DashboardView) -> None:
    st.caption(
        "Section scores and the fidelity total average item scores as the rubric's scoring rule "
        "says (proscribed items reversed, not-applicable left out); rated as interval scores."
    )
    composites = view.summary[view.summary["group"] == "composite"]
    summary_frame(composites, "score")
    st.plotly_chart(totals_chart(view), key="dash-totals-chart")
    key = st.selectbox(
        "All coefficients of",
        list(composites["key"]),
        format_func=dict(zip(composites["key"], composites["label"], strict=True)).get,
        key="dash-composite",
    )
    if key is not None:
        coefficients_frame(view.composite_report["items"][key])


def _raters(view: DashboardView) -> None:
    basis = view.basis
    st.caption(
        f"Deviation = rater − {basis}, in scale points; red: the rater scored higher. On "
        "proscribed items a higher score means more proscribed behaviour seen."
    )
    st.plotly_chart(heatmap(view), key="dash-heatmap")
    names = view.rater_names
    raters = view.raters
    if len(raters) > MANY_RATERS:
        raters = st.multiselect(
            "Raters to compare",
            raters,
            default=default_raters(view),
            format_func=names.get,
            key="dash-who",
        )
    st.markdown(f"**Each rater against the {basis}** (all items pooled)")
    st.dataframe(raters_frame(view, raters), hide_index=True, width="stretch")
    rater = st.selectbox("Bland-Altman of", raters, format_func=names.get, key="dash-ba")
    if rater is not None:
        st.plotly_chart(bland_altman_chart(view, rater), key="dash-ba-chart")
    drifting = st.multiselect(
        "Drift over time of",
        raters,
        default=raters[:DRIFT_SHOWN],
        format_func=names.get,
        key="dash-drift",
    )
    if drifting:
        st.plotly_chart(drift_chart(view, tuple(drifting)), key="dash-drift-chart")


def _decision_study(view: DashboardView) -> None:
    st.caption(
        f"How many raters' scores must be averaged to reach each reliability, from the "
        f"single-rater {HEADLINE_LABEL} (Spearman-Brown)."
    )
    names = {"r1": HEADLINE_LABEL} | {f"k_{t:.2f}": f"raters for {t:.2f}" for t in TARGETS}
    table = view.dstudy.assign(label=view.dstudy["key"].map(view.labels))
    shown = table[["label", *names]].rename(columns=names | {"label": "item or score"})
    shown[HEADLINE_LABEL] = [number(None if pd.isna(v) else v) for v in table["r1"]]
    for key, title in list(names.items())[1:]:
        shown[title] = [
            "—" if v is None or pd.isna(v) else str(int(v)) for v in table[key].astype(object)
        ]
    st.dataframe(shown, hide_index=True, width="stretch")
    curve = dstudy_chart(view)
    if curve is not None:
        st.plotly_chart(curve, key="dash-dstudy")


def _problem_areas(choices: pd.DataFrame, with_expert: bool) -> None:
    if choices.empty:
        st.info("No formulation attempts by this cohort's trainees yet.")
        return
    report = area_agreement(choices, with_expert)
    st.caption(
        f"Primary problem area of {report['n_units']} cases by {report['n_raters']} raters "
        f"({'the expert counted as a rater' if with_expert else 'trainees only'})."
    )
    shown = (
        ("fleiss_kappa", "Fleiss' kappa"),
        ("gwet_ac1", "Gwet's AC1"),
        ("percent_agreement", "Agreement"),
    )
    for column, (key, title) in zip(st.columns(3), shown, strict=True):
        record = report["coefficients"][key]
        value = record.get("estimate")
        ci = record.get("ci95")
        column.metric(title, "undefined" if value is None else f"{value:.2f}")
        column.caption(
            (f"95% CI {ci[0]:.2f} to {ci[1]:.2f} · " if ci else "")
            + f"{record['interpretation']} ({record['source']})"
        )
    st.plotly_chart(charts.area_confusion_heatmap(area_confusion(choices)), key="dash-areas")


def _drills(results: pd.DataFrame, rubric: Rubric) -> None:
    st.caption(
        "Item drills of this cohort's trainees against the expert, per item. Drills train; "
        "certification stays on full ratings."
    )
    if results.empty:
        st.info("No drills answered by this cohort's trainees yet.")
        return
    texts = {i.id: i.text for i in rubric.items}
    shown = pd.DataFrame(
        {
            "item": results["item"].map(lambda i: texts.get(i, i)),
            "trainees": results["trainees"],
            "answers": results["answers"],
            "bias": [number(None if pd.isna(v) else v) for v in results["bias"]],
            "mean |difference|": [
                number(None if pd.isna(v) else v) for v in results["mean_abs_diff"]
            ],
            "exact": ["—" if pd.isna(v) else f"{v:.0%}" for v in results["exact"]],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
