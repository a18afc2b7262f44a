"""Pydantic models of the three content files: rubric, case (vignette + expert key), session.

The models check shape and vocabulary; `checks.py` checks meaning (anchors cover the scale, cues
are verbatim, evidence turns exist, ...) so each problem can point at its own line.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from .vocab import (
    Difficulty,
    Dimension,
    DisputeStage,
    Fidelity,
    ItemKind,
    Phase,
    ProblemArea,
    RubricTarget,
    SessionUse,
    Speaker,
)

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    """Base for content models: unknown keys are errors, so typos in hand-written YAML surface."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """A published source a file's facts rest on."""

    id: Id
    citation: Text
    url: str | None = None


# ---------------------------------------------------------------- rubric


class Scale(Strict):
    """An integer rating scale with a label for every point."""

    min: int
    max: int
    labels: dict[int, Text]

    @model_validator(mode="after")
    def _labels_cover_points(self) -> Scale:
        if self.max <= self.min:
            raise ValueError(f"max ({self.max}) must be greater than min ({self.min})")
        if self.max - self.min > 10:
            raise ValueError("a scale may have at most 11 points")
        missing = [p for p in self.points if p not in self.labels]
        extra = [p for p in self.labels if p not in self.points]
        if missing or extra:
            raise ValueError(
                f"labels must name every point {self.min}..{self.max}"
                + (f"; missing {missing}" if missing else "")
                + (f"; off the scale {extra}" if extra else "")
            )
        return self

    @property
    def points(self) -> list[int]:
        return list(range(self.min, self.max + 1))


class NotApplicablePolicy(Strict):
    """Whether raters may mark an item not applicable, and the rule they follow when they do."""

    allowed: bool = True
    rule: Text = "Mark not applicable only when the rubric item could not occur in this session."


class Rule(Strict):
    """A scoring rule that holds across the whole rubric (shown to raters above the items)."""

    id: Id
    title: Text
    text: Text


class Item(Strict):
    """One rubric item with a behavioural anchor for every scale point."""

    id: Id
    text: Text
    description: Text
    kind: ItemKind
    dimension: Dimension
    phases: list[Phase] = Field(default_factory=list, description="empty: every phase")
    problem_areas: list[ProblemArea] = Field(
        default_factory=list, description="empty: every problem area"
    )
    not_applicable_allowed: bool | None = Field(
        default=None, description="overrides the rubric's not_applicable.allowed"
    )
    anchors: dict[int, Text]
    sources: list[Id] = Field(default_factory=list, description="ids from the file's sources")

    def applies_to(self, phase: str | None, areas: set[str]) -> bool:
        """True when the item is in scope for a session of this phase and these problem areas."""
        phase_ok = not self.phases or phase is None or phase in self.phases
        area_ok = not self.problem_areas or bool(areas & set(self.problem_areas))
        return phase_ok and area_ok


class Section(Strict):
    """A group of items shown together (a phase's tasks, a problem area's strategies, ...)."""

    id: Id
    title: Text
    description: str = ""
    items: list[Item] = Field(min_length=1)


class Rubric(Strict):
    """A rating instrument: a scale, sections of items, and where its content comes from."""

    id: Id
    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+){0,2}$")]
    title: Text
    manual: Text = Field(description="the IPT manual tradition the rubric follows")
    target: RubricTarget = "session"
    description: str = ""
    scale: Scale
    not_applicable: NotApplicablePolicy = NotApplicablePolicy()
    scoring: str = Field(default="", description="how item scores combine into totals")
    rules: list[Rule] = Field(
        default_factory=list, description="scoring rules that hold for every item (shown to raters)"
    )
    sections: list[Section] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)

    def section_of(self, item_id: str) -> Section:
        return next(s for s in self.sections if any(i.id == item_id for i in s.items))

    def na_allowed(self, item: Item) -> bool:
        """Whether this item may be marked not applicable."""
        if item.not_applicable_allowed is not None:
            return item.not_applicable_allowed
        return self.not_applicable.allowed

    def applicable_items(self, phase: str | None, areas: set[str]) -> list[Item]:
        return [i for i in self.items if i.applies_to(phase, areas)]


# ---------------------------------------------------------------- case


class Client(Strict):
    """Who the (fictional) client is."""

    pseudonym: Text
    age: int = Field(ge=5, le=110)
    gender: Text
    background: str = Field(default="", description="culture, language, faith, migration")
    occupation: str = ""


class Person(Strict):
    """One entry of the interpersonal inventory."""

    name: Text
    relationship: Text
    quality: Text
    expectations: Text
    changes: str = Field(default="", description="what changed near the onset of symptoms")


class Vignette(Strict):
    """The referral note and intake summary a trainee reads."""

    setting: Text
    client: Client
    referral: Text
    presenting_symptoms: Text
    history: Text
    interpersonal_inventory: list[Person] = Field(min_length=1)
    recent_events: Text

    def passages(self) -> dict[str, str]:
        """The vignette's readable text, field by field, in reading order."""
        out = {
            "referral": self.referral,
            "presenting_symptoms": self.presenting_symptoms,
            "history": self.history,
        }
        for i, p in enumerate(self.interpersonal_inventory):
            out[f"interpersonal_inventory.{i}"] = (
                f"{p.name} ({p.relationship}). {p.quality} {p.expectations} {p.changes}".strip()
            )
        out["recent_events"] = self.recent_events
        return out

    def full_text(self) -> str:
        return "\n".join(self.passages().values())


def normalise_quote(text: str) -> str:
    """Fold whitespace and typographic quotes so a cue matches across line wraps."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


class Cue(Strict):
    """A verbatim passage of the vignette that signals a problem area, and why."""

    quote: Text
    area: ProblemArea
    why: Text


class ExpertKey(Strict):
    """The expert's formulation of the case: what a trainee's attempt is compared with."""

    primary_problem_area: ProblemArea
    secondary_problem_area: ProblemArea | None = None
    dispute_stage: DisputeStage | None = None
    key_people: list[Text] = Field(default_factory=list)
    cues: list[Cue] = Field(min_length=1)
    rationale: Text
    model_formulation: Text
    teaching_points: list[Text] = Field(min_length=1)
    common_mistakes: list[Text] = Field(min_length=1)

    @model_validator(mode="after")
    def _stage_iff_dispute(self) -> ExpertKey:
        areas = {self.primary_problem_area, self.secondary_problem_area}
        if self.secondary_problem_area == self.primary_problem_area:
            raise ValueError("secondary_problem_area must differ from primary_problem_area")
        if "role_dispute" in areas and self.dispute_stage is None:
            raise ValueError("a role dispute needs its dispute_stage")
        if "role_dispute" not in areas and self.dispute_stage is not None:
            raise ValueError("dispute_stage is only for a case with a role dispute")
        return self

    @property
    def areas(self) -> set[str]:
        return {a for a in (self.primary_problem_area, self.secondary_problem_area) if a}


class Case(Strict):
    """A case: the vignette a trainee formulates and the expert key it is judged against."""

    id: Id
    title: Text
    difficulty: Difficulty
    tags: list[Id] = Field(default_factory=list)
    rubric: Id = Field(description="the session rubric this case's transcripts are rated with")
    vignette: Vignette
    key: ExpertKey
    sources: list[Source] = Field(min_length=1)


# ---------------------------------------------------------------- session


class Turn(Strict):
    """One speaker turn of a transcript."""

    n: int = Field(ge=1)
    speaker: Speaker
    text: Text
    start: float | None = Field(default=None, ge=0, description="seconds from the start")
    label: str | None = Field(
        default=None,
        pattern=r"^(?:Therapist|Client|Interpreter) \d{1,2}$",
        description="tells speakers of one role apart (co-therapy, groups): never a name",
    )


class ItemRating(Strict):
    """The expert's score of one item (or not applicable), with rationale and evidence turns."""

    score: int | None = None
    not_applicable: bool = False
    rationale: Text
    evidence: list[int] = Field(default_factory=list)

    @model_validator(mode="after")
    def _score_xor_na(self) -> ItemRating:
        if self.not_applicable and self.score is not None:
            raise ValueError("give a score or not_applicable: true, not both")
        if not self.not_applicable and self.score is None:
            raise ValueError("give a score, or not_applicable: true")
        return self


class ReferenceRating(Strict):
    """The expert reference rating of a session against one rubric version."""

    rubric: Id
    rubric_version: str
    rater: Text = "expert panel"
    items: dict[Id, ItemRating]


class Session(Strict):
    """A session transcript of a case, with the author's intended fidelity and the expert rating."""

    id: Id
    case: Id
    title: str = ""
    session_number: int = Field(ge=1, le=30)
    phase: Phase
    fidelity: Fidelity
    difficulty: Difficulty = Field(description="offered to trainees in this order")
    use: SessionUse = Field(
        default="calibration",
        description="practice: may be drilled before it is rated; calibration: rated blind first",
    )
    summary: str = Field(default="", description="what happens in the session, for supervisors")
    turns: list[Turn] = Field(min_length=2)
    reference_rating: ReferenceRating | None = None
    sources: list[Source] = Field(default_factory=list)
