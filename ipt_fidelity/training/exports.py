"""Downloads for supervisors: a cohort's ratings (CSV, Excel) and the agreement report (CSV).

Ratings use the store's export format (`store.exchange`), the same columns the CSV import reads.
The agreement report is the engine's report flattened to one row per (item, coefficient).
"""

from __future__ import annotations

import io

import pandas as pd
from sqlalchemy.orm import Session

from ..content.library import Library
from ..store import cohort_members
from ..store.drills import list_drill_attempts
from ..store.exchange import export_rows, inert, write_export
from ..store.models import User
from .dashboard import DashboardView
from .progress import ATTEMPT_COLUMNS, attempts_table

REPORT_COLUMNS = [
    "key",
    "label",
    "coefficient",
    "estimate",
    "ci_low",
    "ci_high",
    "se",
    "interpretation",
    "source",
    "n_units",
    "n_raters",
    "n_ratings",
    "note",
]


def cohort_rating_rows(
    db: Session, actor: User, cohort_id: int, rubric_id: str, include_staff: bool = False
) -> list[dict[str, str]]:
    """The submitted item scores of the cohort's members with this rubric, as export rows.

    Trainees' ratings only unless `include_staff`, as on the dashboard and in the report.
    """
    members = {u.username for u in cohort_members(db, actor, cohort_id)}
    roles = {"trainee", "supervisor", "admin"} if include_staff else {"trainee"}
    return [
        row
        for row in export_rows(db, actor)
        if row["rater"] in members and row["rubric"] == rubric_id and row["rater_role"] in roles
    ]


def count_sentence(scored: int, not_applicable: int, include_staff: bool) -> str:
    """What a download or report holds, in the same words everywhere."""
    who = "trainees' and supervisors' ratings" if include_staff else "trainees' ratings only"
    return (
        f"{scored + not_applicable} item scores of submitted ratings ({scored} on the scale, "
        f"{not_applicable} marked not applicable); {who}."
    )


def row_counts(rows: list[dict[str, str]]) -> tuple[int, int]:
    """(Scores on the scale, scores marked not applicable) of export rows."""
    na = sum(row["score"] == "na" for row in rows)
    return len(rows) - na, na


def ratings_file(rows: list[dict[str, str]], fmt: str) -> bytes:
    """Export rows as the bytes of a CSV (`csv`) or Excel (`xlsx`) file, formulas neutralised."""
    buffer = io.BytesIO()
    write_export(rows, fmt, buffer)
    return buffer.getvalue()


def report_table(view: DashboardView) -> pd.DataFrame:
    """The engine's reports of the items and the composite scores, one row per coefficient."""
    rows = []
    for report in (view.report, view.composite_report):
        for key, item in report["items"].items():
            for name, record in item["coefficients"].items():
                ci = record.get("ci95") or [None, None]
                rows.append(
                    [
                        key,
                        view.labels.get(key, key),
                        name,
                        record.get("estimate"),
                        ci[0],
                        ci[1],
                        record.get("se"),
                        record.get("interpretation"),
                        record.get("source"),
                        item["n_units"],
                        item["n_raters"],
                        item["n_ratings"],
                        record.get("undefined_reason", record.get("name", "")),
                    ]
                )
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def report_csv(view: DashboardView) -> bytes:
    """The flattened agreement report as UTF-8 CSV bytes."""
    return report_table(view).to_csv(index=False).encode("utf-8")


def formulation_rows(db: Session, actor: User, cohort_id: int, library: Library) -> pd.DataFrame:
    """Every formulation attempt of the cohort's trainees, labelled as counting or practice."""
    frames = [
        attempts_table(db, actor, trainee.id, library).assign(trainee=trainee.username)
        for trainee in cohort_members(db, actor, cohort_id)
        if trainee.role == "trainee"
    ]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=["trainee", *ATTEMPT_COLUMNS])
    table = pd.concat(frames, ignore_index=True)
    return table[["trainee", *ATTEMPT_COLUMNS]]


def drill_rows(db: Session, actor: User, cohort_id: int) -> pd.DataFrame:
    """Every drill answer of the cohort's trainees, with its timing (seconds to answer)."""
    trainees = {u.id: u.username for u in cohort_members(db, actor, cohort_id)}
    rows = [
        {
            "trainee": trainees[a.user_id],
            "session": a.session_id,
            "rubric": a.rubric_id,
            "item": a.item_id,
            "score": a.score,
            "expert": a.expert_score,
            "seconds": round((a.answered_at - a.shown_at).total_seconds(), 1),
            "answered_at": a.answered_at,
        }
        for a in list_drill_attempts(db, actor, user_ids=list(trainees))
        if a.user_id in trainees
    ]
    columns = ["trainee", "session", "rubric", "item", "score", "expert", "seconds", "answered_at"]
    return pd.DataFrame(rows, columns=columns)


def table_csv(table: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV bytes, no cell a spreadsheet would run as a formula."""
    return table.map(lambda v: inert(v) if isinstance(v, str) else v).to_csv(index=False).encode()
