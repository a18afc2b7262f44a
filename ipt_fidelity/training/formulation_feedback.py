"""Feedback on a trainee's formulation of a case: choices against the expert key, cues, hints.

Automatic hints are crude text checks and are always labelled as such; the trainee's own
self-check against the formulation rubric is the real learning step.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ..content.models import Case, Rubric, normalise_quote
from ..content.vocab import label

_STOP = {
    "a", "an", "and", "the", "of", "to", "in", "on", "for", "with", "her", "his", "she", "he",
    "it", "is", "was", "at", "as", "by", "that", "this", "be", "has", "had", "have", "from", "or",
    "not", "but", "they", "their", "them", "i", "my", "me", "we", "our", "you", "your",
}  # fmt: skip


@dataclass
class Attempt:
    """What the trainee chose and wrote."""

    primary: str
    secondary: str | None = None
    dispute_stage: str | None = None
    key_people: list[str] = field(default_factory=list)
    passages: list[str] = field(default_factory=list)
    text: str = ""
    self_check: dict[str, bool] = field(default_factory=dict)


@dataclass
class ChoiceVerdict:
    """One choice compared with the key."""

    name: str
    chosen: str | None
    expected: str | None
    correct: bool
    explanation: str


@dataclass
class Feedback:
    """Everything the feedback page shows; stored with the attempt as JSON."""

    choices: list[ChoiceVerdict]
    cues_named: list[str]
    cues_missed: list[str]
    passages_not_cues: list[str]
    cue_score: float
    people_named: list[str]
    people_missed: list[str]
    people_extra: list[str]
    hints: dict[str, bool]
    correct: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def sentences(text: str) -> list[str]:
    """The vignette split into sentences a trainee can pick as supporting passages."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"'“(])", text.strip())
    return [p.strip() for p in parts if len(p.strip()) > 3]


def vignette_sentences(case: Case) -> list[str]:
    """Every sentence of the vignette, in reading order."""
    return [s for passage in case.vignette.passages().values() for s in sentences(passage)]


def assess(case: Case, attempt: Attempt, rubric: Rubric | None = None) -> Feedback:
    """Compare an attempt with the case's expert key."""
    key = case.key
    choices = [
        ChoiceVerdict(
            "primary problem area",
            attempt.primary,
            key.primary_problem_area,
            attempt.primary == key.primary_problem_area,
            key.rationale,
        ),
        ChoiceVerdict(
            "secondary problem area",
            attempt.secondary,
            key.secondary_problem_area,
            attempt.secondary == key.secondary_problem_area,
            _secondary_explanation(case),
        ),
    ]
    if key.dispute_stage or attempt.dispute_stage:
        choices.append(
            ChoiceVerdict(
                "dispute stage",
                attempt.dispute_stage,
                key.dispute_stage,
                attempt.dispute_stage == key.dispute_stage,
                f"The expert stages the dispute as {label(key.dispute_stage)}.",
            )
        )
    named, missed, stray = _cues(case, attempt)
    people_named, people_missed, people_extra = _people(case, attempt)
    return Feedback(
        choices=choices,
        cues_named=named,
        cues_missed=missed,
        passages_not_cues=stray,
        cue_score=cue_score(len(case.key.cues), len(named), len(attempt.passages), len(stray)),
        people_named=people_named,
        people_missed=people_missed,
        people_extra=people_extra,
        hints=automatic_hints(case, attempt.text, rubric),
        correct=is_correct(case, attempt),
    )


def is_correct(case: Case, attempt: Attempt) -> bool:
    """An attempt counts as accurate when the primary area (and a dispute's stage) match."""
    key = case.key
    if attempt.primary != key.primary_problem_area:
        return False
    return key.primary_problem_area != "role_dispute" or attempt.dispute_stage == key.dispute_stage


def _secondary_explanation(case: Case) -> str:
    secondary = case.key.secondary_problem_area
    if secondary is None:
        return "The expert names no secondary area: one focus keeps a brief treatment focused."
    return f"The expert also names {label(secondary)} as a secondary area."


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z']+", normalise_quote(text)) if w not in _STOP}


def _cues(case: Case, attempt: Attempt) -> tuple[list[str], list[str], list[str]]:
    """Cues the trainee picked as passages or echoed in the formulation, those missed, and the
    picked passages that are no cue at all."""
    picked = [normalise_quote(p) for p in attempt.passages]
    written = _content_words(attempt.text)
    quotes = [normalise_quote(cue.quote) for cue in case.key.cues]
    named, missed = [], []
    for cue, quote in zip(case.key.cues, quotes, strict=True):
        words = _content_words(cue.quote)
        in_passage = any(_overlaps(quote, p) for p in picked)
        echoed = bool(words) and len(words & written) / len(words) >= 0.6
        (named if in_passage or echoed else missed).append(cue.quote)
    stray = [
        passage
        for passage, norm in zip(attempt.passages, picked, strict=True)
        if not any(_overlaps(quote, norm) for quote in quotes)
    ]
    return named, missed, stray


def _overlaps(quote: str, passage: str) -> bool:
    """Whether a picked passage holds the cue quote or lies inside it."""
    return quote in passage or passage in quote


def cue_score(cues: int, named: int, picked: int, stray: int) -> float:
    """F1 of cue finding: recall over the key's cues, precision over the passages picked.

    Picking every sentence finds every cue but earns little, because most picks are no cue.
    """
    if cues == 0:
        return 1.0 if picked == 0 else 0.0
    recall = named / cues
    precision = (picked - stray) / picked if picked else 1.0
    return 0.0 if recall + precision == 0 else 2 * recall * precision / (recall + precision)


def _people(case: Case, attempt: Attempt) -> tuple[list[str], list[str], list[str]]:
    """Key people named by the trainee, missed, and named though the expert does not count them."""
    expected = {normalise_quote(p): p for p in case.key.key_people}
    given = {normalise_quote(p.split(":")[0].split("(")[0]): p for p in attempt.key_people if p}
    named = [expected[k] for k in expected if k in given]
    missed = [expected[k] for k in expected if k not in given]
    extra = [given[k] for k in given if k not in expected]
    return named, missed, extra


_HINT_PATTERNS: dict[str, str] = {
    "form_links_events": r"\b(since|after|when|began|started|onset|following|ever since)\b",
    "form_sick_role": r"\b(illness|medical|sick role|not your fault|treatable|depression is)\b",
    "form_contract": r"\b(\d+|twelve|fourteen|sixteen|eight|ten)\s+(weekly\s+)?(sessions|weeks)\b",
    "form_agreement": r"(\?|\b(does (this|that) (fit|sound)|agree|make sense)\b)",
}
_AREA_WORDS: dict[str, str] = {
    "grief": r"\b(grief|griev\w*|mourn\w*|bereave\w*)\b",
    "role_dispute": r"\b(dispute|conflict|disagree\w*|argu\w*)\b",
    "role_transition": r"\b(transition|change in (your|her|his) life|new role|old role)\b",
    "interpersonal_deficits": r"\b(deficits?|isolat\w*|lonel\w*|sensitiv\w*)\b",
}


def automatic_hints(case: Case, text: str, rubric: Rubric | None = None) -> dict[str, bool]:
    """Crude keyword checks of the written formulation, one per formulation-rubric item."""
    lower = text.lower()
    hints = {item: bool(re.search(p, lower)) for item, p in _HINT_PATTERNS.items()}
    hints["form_names_area"] = bool(re.search(_AREA_WORDS[case.key.primary_problem_area], lower))
    names = [normalise_quote(p.name).split(" ")[0] for p in case.vignette.interpersonal_inventory]
    hints["form_uses_inventory"] = any(re.search(rf"\b{re.escape(n)}\b", lower) for n in names)
    if rubric is not None:
        known = {i.id for i in rubric.items}
        hints = {k: v for k, v in hints.items() if k in known}
    return hints
