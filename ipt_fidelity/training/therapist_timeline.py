"""A therapist's adherence across audited sessions: fidelity totals, proscribed flags, trend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..agreement import HEADLINE, HEADLINE_LABEL, Coefficient, agreement_report, coefficient_views
from ..content.models import Rubric
from ..store.models import ImportedSession
from .scoring import fidelity_totals
from .settings import default_settings

PROSCRIBED_FLAG = 2
"""A proscribed item scored at least this by any rater flags the session."""


def proscribed_flags(
    scores: pd.DataFrame, rubric: Rubric, at_least: int = PROSCRIBED_FLAG
) -> pd.DataFrame:
    """Proscribed items scored `at_least` by any rater: unit, item, text, highest score, raters."""
    proscribed = {i.id: i.text for i in rubric.items if i.kind == "proscribed"}
    hits = scores[scores["item"].isin(proscribed) & (scores["score"] >= at_least)]
    flags = hits.groupby(["unit", "item"], sort=True).agg(
        highest=("score", "max"), raters=("rater", "nunique")
    )
    flags = flags.reset_index()
    flags.insert(2, "text", flags["item"].map(proscribed))
    return flags


def therapist_ids(uploads: list[ImportedSession]) -> list[str]:
    """The pseudonymous therapist ids of these uploads, sorted."""
    return sorted({u.therapist_id for u in uploads})


TIMELINE_COLUMNS = [
    "order",
    "session_id",
    "audited",
    "title",
    "session_number",
    "phase",
    "raters",
    "fidelity",
    "proscribed",
    "below_threshold",
]


def timeline(
    uploads: list[ImportedSession], scores: pd.DataFrame, rubric: Rubric, threshold: float
) -> pd.DataFrame:
    """One row per session of a therapist, in the order they were audited (across clients, a
    therapist's session numbers interleave): mean fidelity total, raters, flags."""
    ordered = sorted(uploads, key=lambda u: (u.created_at, u.session_number, u.id))
    totals = (
        fidelity_totals(scores, rubric)
        .groupby("unit", observed=True)["score"]
        .agg(["mean", "count"])
    )
    flags = proscribed_flags(scores, rubric)
    rows = []
    for order, upload in enumerate(ordered, start=1):
        fidelity = totals["mean"].get(upload.id, np.nan)
        flagged = flags[flags["unit"] == upload.id]
        rows.append(
            {
                "order": order,
                "session_id": upload.id,
                "audited": upload.created_at,
                "title": upload.title,
                "session_number": upload.session_number,
                "phase": upload.phase,
                "raters": int(totals["count"].get(upload.id, 0)),
                "fidelity": fidelity,
                "proscribed": "; ".join(
                    f"{r.text} (up to {r.highest:g})" for r in flagged.itertuples()
                ),
                "below_threshold": bool(fidelity < threshold),
            }
        )
    return pd.DataFrame(rows, columns=TIMELINE_COLUMNS)


@dataclass(frozen=True)
class Trend:
    """The direction of a therapist's fidelity: slope per session and standing vs threshold."""

    rated: int
    slope: float | None  # fidelity points per session (least squares); None under two sessions
    latest: float | None
    below: int  # rated sessions under the threshold
    threshold: float

    def sentence(self) -> str:
        """The trend in plain words."""
        if not self.rated:
            return "No session of this therapist has a submitted rating yet."
        standing = "at or above" if self.latest >= self.threshold else "below"
        text = (
            f"Latest rated session: {self.latest:.2f}, {standing} the threshold of "
            f"{self.threshold:g}; {self.below} of {self.rated} rated session(s) below it."
        )
        if self.slope is not None:
            direction = (
                "rising" if self.slope > 0.05 else "falling" if self.slope < -0.05 else "flat"
            )
            text += f" Trend: {direction} ({self.slope:+.2f} per audited session)."
        return text


def trend(frame: pd.DataFrame, threshold: float) -> Trend:
    """The least-squares slope of fidelity over session order, and sessions under the threshold."""
    rated = frame.dropna(subset=["fidelity"])
    slope = None
    if len(rated) >= 2:
        slope = float(np.polyfit(rated["order"], rated["fidelity"], 1)[0])
    latest = float(rated["fidelity"].iloc[-1]) if len(rated) else None
    below = int((rated["fidelity"] < threshold).sum())
    return Trend(len(rated), slope, latest, below, threshold)


def therapist_agreement(scores: pd.DataFrame, rubric: Rubric) -> pd.DataFrame | None:
    """Agreement per item and on the fidelity total over a therapist's sessions (the units).

    One row per item and for the total, as people read it: the sessions, raters and ratings the
    headline ICC rests on, the ICC with its reading, Krippendorff's alpha (interval), agreement
    within one point, and a note when the ICC rests on fewer than ``MIN_UNITS`` sessions. None
    when fewer than two raters rated anything.
    """
    if scores["rater"].nunique() < 2:
        return None
    items = agreement_report(
        scores[["unit", "rater", "item", "score"]],
        "interval",
        categories=rubric.scale.points,
        n_boot=0,
    )["items"]
    total = agreement_report(fidelity_totals(scores, rubric), "interval", n_boot=0)["items"]
    rows = [_coefficient_row(i.text, items[i.id]) for i in rubric.items if i.id in items]
    rows.append(_coefficient_row("Fidelity total", total["all"]))
    return pd.DataFrame(rows)


def _coefficient_row(label: str, report: dict[str, Any]) -> dict[str, Any]:
    """The headline coefficients of one engine item report, with what they rest on."""
    views = coefficient_views(report)
    icc = views.get(HEADLINE) or Coefficient.from_record(HEADLINE, None, report)
    alpha = views.get("krippendorff_alpha") or Coefficient.from_record("krippendorff_alpha", None)
    within = views.get("percent_agreement_within_one")
    return {
        "item": label,
        "sessions": icc.n_units,
        "raters": icc.n_raters,
        "ratings": icc.n_ratings,
        HEADLINE_LABEL: icc.estimate_text,
        "reading": icc.reading,
        "alpha (interval)": alpha.estimate_text,
        "within one point": "—"
        if within is None or within.estimate is None
        else f"{within.estimate:.0%}",
        "note": icc.shortfall("sessions", default_settings().agreement.min_units),
    }
