"""Audit of real sessions: an upload's review and save, co-rater agreement, therapist timelines.

The import review works on the importer's `ImportedTranscript`: speakers are mapped to roles,
the de-identification scan's findings are accepted unless the reviewer rejects them, and the
redacted transcript becomes the stored session's turns. Nothing identifying reaches the store or
the audit log: the summary holds counts per category only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from ..agreement import agreement_report
from ..content.deid import Finding, ReviewDecisions, redact, scan
from ..content.importers import ImportedTranscript, RoleMappingError, map_roles, to_session
from ..content.library import Library
from ..content.models import Rubric, Turn
from ..store import add_imported_session
from ..store.errors import InvalidInput
from ..store.models import ImportedSession, User
from .dashboard import TOTAL, composite_scores

ROLES = ("therapist", "client", "interpreter", "other")
PROSCRIBED_FLAG = 2
"""A proscribed item scored at least this by any rater flags the session."""


# ---------------------------------------------------------------- import review


def suggested_roles(transcript: ImportedTranscript) -> dict[str, str]:
    """A role per speaker: role labels as they say; else the first speaker is the therapist."""
    labelled = {t.speaker: t.role for t in transcript.turns}
    roles = {s: labelled.get(s, "unknown") for s in transcript.speakers}
    has_therapist = "therapist" in roles.values()
    for speaker, role in roles.items():
        if role == "unknown":
            roles[speaker] = "client" if has_therapist else "therapist"
            has_therapist = True
    return roles


def apply_roles(transcript: ImportedTranscript, roles: dict[str, str]) -> ImportedTranscript:
    """The transcript with the reviewer's roles; turns without a speaker label are left out."""
    if not transcript.speakers:
        raise RoleMappingError(
            "This transcript has no speaker labels (plain Whisper output?), so its turns cannot "
            "be attributed: assign speakers first (by alternation or by pause)."
        )
    therapists = [s for s, role in roles.items() if role == "therapist"]
    if not therapists:
        raise RoleMappingError("Map at least one speaker to the therapist.")
    others = [s for s, role in roles.items() if role == "other"]
    interpreters = [s for s, role in roles.items() if role == "interpreter"]
    mapped = map_roles(transcript, therapists, other=others, interpreter=interpreters)
    turns = [t if t.speaker else replace(t, role="other") for t in mapped.turns]
    return replace(mapped, turns=turns)


@dataclass(frozen=True)
class Review:
    """A role-mapped transcript, the scan's findings, the ids the reviewer rejected, and the
    spans they added."""

    transcript: ImportedTranscript
    findings: list[Finding]
    names: tuple[str, ...] = ()
    rejected: frozenset[str] = frozenset()
    added: tuple[Finding, ...] = ()

    @classmethod
    def of(cls, transcript: ImportedTranscript, names: tuple[str, ...] = ()) -> Review:
        """Scan a role-mapped transcript, with the names the reviewer added."""
        return cls(transcript, scan(transcript, names), names)

    def keeping(self, rejected: Iterable[str]) -> Review:
        """The same findings with these finding ids kept in the text (not identifiers)."""
        return replace(self, rejected=frozenset(rejected))

    def adding(self, value: str, category: str) -> Review:
        """Also redact every whole-word occurrence of a missed value (ValueError if absent)."""
        decisions = ReviewDecisions(tuple(self.findings), self.rejected, self.added)
        return replace(self, added=decisions.add_text(self.transcript, value, category).added)

    @property
    def accepted(self) -> list[Finding]:
        kept = [f for f in (*self.findings, *self.added) if f.id not in self.rejected]
        return sorted(kept, key=lambda f: (f.turn, f.start, -f.end))

    @cached_property
    def redacted(self) -> ImportedTranscript:
        return redact(self.transcript, self.accepted)

    def turns(self) -> list[Turn]:
        """The redacted therapist and client turns, renumbered (others and unlabelled left out)."""
        session = to_session(
            self.redacted,
            id="upload",
            case="imported",
            session_number=1,
            phase="initial",
            fidelity="mixed",  # required by the content model; an upload does not store it
            drop_other=True,
        )
        return list(session.turns)

    def summary(self) -> dict[str, Any]:
        """What the redaction did, as counts only: never the identifiers themselves."""
        counts = Counter(f.category for f in self.accepted)
        removed = len(self.rejected & {f.id for f in self.findings})
        return {
            "format": self.transcript.format,
            "redacted": dict(sorted(counts.items())),
            "kept": removed,
            "names_added": len(self.names),
            "removed": removed,
            "added": len([f for f in self.added if f.id not in self.rejected]),
        }


def findings_table(review: Review) -> pd.DataFrame:
    """One row per finding for the review step: id, category, text, turn, context and why."""
    texts = {t.n: t.text for t in review.transcript.turns}
    rows = [
        {
            "id": f.id,
            "category": f.category,
            "text": f.text,
            "turn": f.turn,
            "context": _context(texts[f.turn], f.start, f.end),
            "reason": f.reason,
        }
        for f in [*review.findings, *review.added]
    ]
    return pd.DataFrame(rows, columns=["id", "category", "text", "turn", "context", "reason"])


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    """The finding with a few words either side."""
    left = ("…" if start > width else "") + text[max(0, start - width) : start]
    right = text[end : end + width] + ("…" if end + width < len(text) else "")
    return f"{left}{text[start:end]}{right}"


def save_review(
    db: Session,
    actor: User,
    library: Library,
    review: Review,
    *,
    title: str,
    therapist_id: str,
    phase: str,
    session_number: int,
    case_id: str | None = None,
    problem_areas: tuple[str, ...] = (),
    original: tuple[str, bytes] | None = None,
) -> ImportedSession:
    """Store the redacted session; the original (name, bytes) only when the reviewer keeps it."""
    therapist_id = therapist_id.strip()
    if not therapist_id:
        raise InvalidInput("Give the therapist's pseudonymous id.")
    if case_id and case_id not in library.cases:
        raise InvalidInput(f"No case '{case_id}' in the library.")
    turns = [t.model_dump(mode="json", exclude_none=True) for t in review.turns()]
    return add_imported_session(
        db,
        actor,
        problem_areas=problem_areas,
        redaction_summary=review.summary(),
        title=title.strip() or f"Session {session_number}",
        therapist_id=therapist_id,
        phase=phase,
        session_number=session_number,
        turns=turns,
        case_id=case_id or None,
        original=original[1] if original else None,
        original_filename=original[0] if original else None,
    )


# ---------------------------------------------------------------- fidelity and agreement


def session_rubric(library: Library) -> Rubric | None:
    """The rubric uploads are rated with: as on the rating page, the first session rubric."""
    return next((r for r in library.rubrics.values() if r.target == "session"), None)


def fidelity_totals(scores: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """The fidelity total per (unit, rater), by the rubric's scoring rule."""
    composites = composite_scores(scores, rubric)
    return composites[composites["item"] == TOTAL][["unit", "rater", "score"]].reset_index(
        drop=True
    )


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


@dataclass(frozen=True)
class SessionAgreement:
    """Co-raters of one session: their scores side by side, totals, and agreement over items."""

    scores: pd.DataFrame  # item x rater
    totals: pd.Series  # fidelity total per rater
    report: dict[str, Any] | None  # engine report with the session's items as units


def session_agreement(scores: pd.DataFrame, rubric: Rubric) -> SessionAgreement:
    """How the raters of one session agree: the engine's coefficients with items as the units.

    Within one session each item has one value per rater, so per-item coefficients are undefined;
    over the session's items (units) the raters' profiles can be compared (ICC, alpha, exact and
    within-one agreement). Needs two raters; `report` is None otherwise.
    """
    wide = scores.pivot(index="item", columns="rater", values="score")
    order = [i.id for i in rubric.items if i.id in wide.index]
    totals = fidelity_totals(scores, rubric).set_index("rater")["score"]
    report = None
    if scores["rater"].nunique() >= 2:
        long = pd.DataFrame(
            {"unit": scores["item"], "rater": scores["rater"], "score": scores["score"]}
        )
        report = agreement_report(
            long,
            "interval",
            categories=rubric.scale.points,
            n_boot=500,
        )["items"]["all"]
    return SessionAgreement(scores=wide.loc[order], totals=totals, report=report)


# ---------------------------------------------------------------- therapist timeline


def therapist_ids(uploads: list[ImportedSession]) -> list[str]:
    """The pseudonymous therapist ids of these uploads, sorted."""
    return sorted({u.therapist_id for u in uploads})


TIMELINE_COLUMNS = [
    "order",
    "session_id",
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

    One row per item and for the total: units, raters, ICC(A,1), Krippendorff's alpha (interval),
    exact agreement. None when fewer than two raters rated anything.
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
    """The headline coefficients of one engine item report."""
    coefficients = report["coefficients"]
    return {
        "item": label,
        "sessions": report["n_units"],
        "raters": report["n_raters"],
        "ICC(A,1)": coefficients["ICC2"]["estimate"],
        "alpha (interval)": coefficients["krippendorff_alpha"]["estimate"],
        "within one point": coefficients["percent_agreement_within_one"]["estimate"],
    }
