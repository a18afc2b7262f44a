"""Exports and reports: ratings as CSV and Excel, the agreement report, printable HTML reports."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import streamlit as st

from ...agreement import HEADLINE_LABEL
from ...store import list_cohorts
from ...training.dashboard import TARGETS, DashboardView, Scope, cohort_view, prophecy_curve
from ...training.exports import (
    cohort_rating_rows,
    count_sentence,
    drill_rows,
    formulation_rows,
    ratings_file,
    report_csv,
    row_counts,
    table_csv,
)
from ...training.printable import Figure, cohort_report_html, trainee_report_html
from ...training.raters import bland_altman, rater_drift
from ...training.readiness import Readiness, cohort_readiness
from ...training.scoring import TOTAL
from ...training.settings import default_settings
from .. import charts
from ..state import database, library, require_role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render() -> None:
    user = require_role("supervisor", "admin")
    st.title("Exports and reports")
    lib = library()
    with database(read_only=True) as db:
        cohorts = {c.id: c.name for c in list_cohorts(db, user)}
    rubrics = {r.id: r for r in lib.rubrics.values() if r.target == "session"}
    if not cohorts or not rubrics:
        st.info("No cohort yet: create one under Cohorts and assignments.")
        return
    left, right = st.columns(2)
    cohort_id = left.selectbox("Cohort", list(cohorts), format_func=cohorts.get, key="rep-cohort")
    rubric_id = right.selectbox(
        "Rubric", list(rubrics), format_func=lambda r: rubrics[r].title, key="rep-rubric"
    )
    rubric = rubrics[rubric_id]
    staff = st.toggle("Include supervisors' own ratings", key="rep-staff")
    scope = Scope(cohort_id, rubric_id, include_staff=staff)
    with database(read_only=True) as db:
        with st.spinner("Computing agreement (once per new submission)…", show_time=True):
            view = cohort_view(db, user, scope, rubric, lib)
        rows = cohort_rating_rows(db, user, cohort_id, rubric_id, include_staff=staff)
        readiness = cohort_readiness(db, user, cohort_id, lib, default_settings().certification)
        attempts = formulation_rows(db, user, cohort_id, lib)
        drills = drill_rows(db, user, cohort_id)
    stem = f"cohort-{cohort_id}-{rubric_id}"
    st.subheader("Downloads")
    st.caption(
        count_sentence(*row_counts(rows), staff)
        + " In the store's export format, with each rater's role."
    )
    a, b, c = st.columns(3)
    a.download_button("Ratings (CSV)", ratings_file(rows, "csv"), f"{stem}-ratings.csv", "text/csv")
    b.download_button("Ratings (Excel)", ratings_file(rows, "xlsx"), f"{stem}-ratings.xlsx", XLSX)
    c.download_button(
        "Agreement report (CSV)",
        report_csv(view),
        f"{stem}-agreement.csv",
        "text/csv",
        disabled=view.ratings.empty,
    )
    d, e, _ = st.columns(3)
    d.download_button(
        "Formulation attempts (CSV)",
        table_csv(attempts),
        f"cohort-{cohort_id}-formulations.csv",
        "text/csv",
        help="Every attempt, labelled: counts toward certification, or practice (and why).",
    )
    e.download_button(
        "Item drills (CSV)",
        table_csv(drills),
        f"cohort-{cohort_id}-drills.csv",
        "text/csv",
        help="Every drill answer with the expert's score and the seconds it took.",
    )
    st.subheader("Printable report")
    if view.ratings.empty:
        st.info("No submitted ratings with this rubric in this cohort yet.")
        return
    _printable(cohorts[cohort_id], rubric.title, view, readiness, stem, staff)


def _printable(
    cohort: str,
    rubric: str,
    view: DashboardView,
    readiness: list[Readiness],
    stem: str,
    staff: bool,
) -> None:
    trainees = {r.trainee.id: r for r in readiness if r.trainee.username in view.raters}
    of = st.selectbox(
        "Report of",
        [0, *trainees],
        format_func=lambda i: "the whole cohort" if i == 0 else trainees[i].trainee.display_name,
        key="rep-of",
    )
    if not st.button("Prepare the printable report", type="primary", key="rep-build"):
        return
    now = datetime.now(timezone.utc)
    with st.spinner("Drawing the report…"):
        if of == 0:
            page = cohort_report_html(cohort, rubric, view, _cohort_figures(view), now, staff)
        else:
            row = trainees[of]
            page = trainee_report_html(cohort, row, view, _trainee_figures(view, row), now)
    name = f"{stem}-report.html" if of == 0 else f"{stem}-{trainees[of].trainee.username}.html"
    st.download_button("Download the report (HTML, print to PDF)", page, name, "text/html")
    st.iframe(page, height=900)


def _fragments(figures: list[tuple[str, object]]) -> list[Figure]:
    return [
        Figure(caption, charts.figure_html(figure, with_library=i == 0))
        for i, (caption, figure) in enumerate(figures)
    ]


def _cohort_figures(view: DashboardView) -> list[Figure]:
    items = view.summary[view.summary["group"] == "item"]
    composites = view.summary[view.summary["group"] == "composite"]
    figures = [
        ("Agreement per item", charts.agreement_by_item(items, "icc", HEADLINE_LABEL)),
        ("Section scores and totals", charts.agreement_by_item(composites, "icc", "")),
        (
            "Rater x item deviation",
            charts.deviation_heatmap(view.deviation, view.labels, view.basis, view.rater_names),
        ),
    ]
    total = view.dstudy.set_index("key")["r1"].get(TOTAL)
    if total is not None and pd.notna(total) and total > 0:
        curve = charts.decision_study_curve(prophecy_curve(float(total)), TARGETS)
        figures.append(("Decision study", curve))
    return _fragments(figures)


def _trainee_figures(view: DashboardView, row: Readiness) -> list[Figure]:
    rater, name = row.trainee.username, row.trainee.display_name
    points, limits = bland_altman(view, rater)
    figures = [
        ("Bland-Altman", charts.bland_altman_plot(points, limits, name, view.basis)),
        ("Drift", charts.drift_plot(rater_drift(view, rater), {rater: name}, view.basis)),
    ]
    if row.calibration is not None and not row.calibration.per_session.empty:
        rule = default_settings().certification
        calibration = charts.calibration_over_time(row.calibration.per_session, rule.max_abs_bias)
        figures.append(("Calibration against the expert", calibration))
    return _fragments(figures)
