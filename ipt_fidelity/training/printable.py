"""Printable HTML reports of a cohort or of one trainee, for the browser's print to PDF.

Every piece of text is escaped here (names, notes and labels may hold anything); the figures come
in as HTML fragments that the UI made from its plotly charts.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from ..agreement import HEADLINE_LABEL, READING_RULE
from .agreement_summary import ICC_FORM, summary_display
from .dashboard import DashboardView
from .exports import count_sentence
from .raters import rater_agreement
from .readiness import Readiness, criteria_table
from .reference_rater import EXPERT

STYLE = """
body {font-family: system-ui, sans-serif; margin: 2rem; color: #222; font-size: 14px;}
h1 {font-size: 1.6rem; margin-bottom: 0;} h2 {font-size: 1.2rem; margin-top: 2rem;}
.meta {color: #666;} table {border-collapse: collapse; margin: 0.5rem 0; width: 100%;}
th, td {border: 1px solid #ccc; padding: 0.25rem 0.4rem; text-align: left; font-size: 12px;}
th {background: #f3f3f3;} .figure {page-break-inside: avoid; margin: 1rem 0;}
@media print {body {margin: 0.5cm;} h2 {page-break-after: avoid;} .noprint {display: none;}}
"""


@dataclass(frozen=True)
class Figure:
    """A chart for the report: its caption and its HTML fragment (trusted: made by plotly)."""

    caption: str
    fragment: str


def _table(frame: pd.DataFrame, digits: int = 2) -> str:
    """A DataFrame as an escaped HTML table."""
    return frame.to_html(
        index=False, escape=True, na_rep="", float_format=f"{{:.{digits}f}}".format
    )


def _figures(figures: list[Figure]) -> str:
    return "".join(
        f'<div class="figure"><p><b>{html.escape(f.caption)}</b></p>{f.fragment}</div>'
        for f in figures
    )


def _page(title: str, subtitle: str, body: str) -> str:
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p class='meta'>{html.escape(subtitle)}</p>"
        "<p class='noprint'>Use the browser's Print command to save this report as PDF.</p>"
        f"{body}</body></html>"
    )


def _summary(view: DashboardView, group: str) -> pd.DataFrame:
    rows = view.summary[view.summary["group"] == group]
    first = "score" if group == "composite" else "item"
    return summary_display(rows, first).drop(columns=["exact", "within one", "ranked"])


def cohort_report_html(
    cohort: str,
    rubric: str,
    view: DashboardView,
    figures: list[Figure],
    when: datetime,
    include_staff: bool = False,
) -> str:
    """The cohort's agreement report: the ICC form, items worst first, totals, raters, charts."""
    trainees = view.ratings[view.ratings["rater"] != EXPERT]
    na = int(trainees["score"].isna().sum())
    scored = len(trainees) - na
    raters = rater_agreement(view, view.raters).drop(columns=["rater"])
    dstudy = view.dstudy.assign(key=view.dstudy["key"].map(view.labels)).rename(
        columns={"key": "score or item", "r1": HEADLINE_LABEL}
    )
    body = (
        f"<h2>Design</h2><p>{len(view.raters)} raters, {view.ratings['unit'].nunique()} "
        f"sessions; {html.escape(count_sentence(scored, na, include_staff))} "
        f"<b>ICC form: {html.escape(HEADLINE_LABEL)}.</b> {html.escape(ICC_FORM)} "
        f"{html.escape(READING_RULE)}</p>"
        f"<h2>Section scores and totals</h2>{_table(_summary(view, 'composite'))}"
        f"<h2>Items, worst agreement first</h2>{_table(_summary(view, 'item'))}"
        f"<h2>Each rater against the {html.escape(view.basis)}</h2>{_table(raters)}"
        f"<h2>Decision study (raters needed)</h2>{_table(dstudy)}"
        f"<h2>Charts</h2>{_figures(figures)}"
    )
    subtitle = f"Rubric: {rubric} · generated {when:%Y-%m-%d %H:%M} UTC"
    return _page(f"Rater agreement report: {cohort}", subtitle, body)


def trainee_report_html(
    cohort: str, row: Readiness, view: DashboardView, figures: list[Figure], when: datetime
) -> str:
    """One trainee's report: standing against the rule with its evidence, agreement, charts."""
    name = row.trainee.display_name
    verdict = "meets every criterion" if row.standing.ready else "does not yet meet the rule"
    agreement = rater_agreement(view, [row.trainee.username]).drop(columns=["rater", "name"])
    decisions = pd.DataFrame(
        [(d.decided_at, d.decision, d.note) for d in row.decisions],
        columns=["decided", "decision", "note"],
    )
    body = (
        f"<h2>Certification standing</h2><p>{html.escape(name)} {verdict}.</p>"
        f"{_table(criteria_table(row))}"
        f"<h2>Agreement with the {html.escape(view.basis)}</h2>{_table(agreement)}"
        f"<h2>Decisions</h2>{_table(decisions) if not decisions.empty else '<p>None yet.</p>'}"
        f"<h2>Charts</h2>{_figures(figures)}"
    )
    subtitle = f"Cohort: {cohort} · generated {when:%Y-%m-%d %H:%M} UTC"
    return _page(f"Trainee report: {name}", subtitle, body)
