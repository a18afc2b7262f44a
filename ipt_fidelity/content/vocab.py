"""The controlled vocabularies every content file and every page share."""

from typing import Literal

ProblemArea = Literal["grief", "role_dispute", "role_transition", "interpersonal_deficits"]
DisputeStage = Literal["renegotiation", "impasse", "dissolution"]
Phase = Literal["initial", "middle", "termination"]
ItemKind = Literal["unique_essential", "essential_not_unique", "compatible", "proscribed"]
Dimension = Literal["adherence", "quality"]
Fidelity = Literal["high", "mixed", "low"]
Speaker = Literal["therapist", "client", "interpreter"]
Difficulty = Literal["introductory", "intermediate", "advanced"]
# practice: may be drilled item by item before it is rated; calibration: rated blind, counts
# toward certification, drilled only after the trainee has submitted a rating of it.
SessionUse = Literal["practice", "calibration"]
DIFFICULTIES: tuple[Difficulty, ...] = ("introductory", "intermediate", "advanced")
RubricTarget = Literal["session", "formulation"]

PROBLEM_AREAS: tuple[ProblemArea, ...] = (
    "grief",
    "role_dispute",
    "role_transition",
    "interpersonal_deficits",
)
DISPUTE_STAGES: tuple[DisputeStage, ...] = ("renegotiation", "impasse", "dissolution")
PHASES: tuple[Phase, ...] = ("initial", "middle", "termination")

PROBLEM_AREA_LABELS: dict[str, str] = {
    "grief": "grief",
    "role_dispute": "role dispute",
    "role_transition": "role transition",
    "interpersonal_deficits": "interpersonal deficits / sensitivity",
}
DISPUTE_STAGE_LABELS: dict[str, str] = {
    "renegotiation": "renegotiation",
    "impasse": "impasse",
    "dissolution": "dissolution",
}
# Words that name a problem area or a dispute stage. Ids, titles and tags end up in URLs, widget
# keys and the page's HTML, so none of them may carry one of these (the blind rule).
ANSWER_WORDS: frozenset[str] = frozenset(
    {
        "grief",
        "grieving",
        "bereavement",
        "bereaved",
        "mourning",
        "dispute",
        "disputes",
        "transition",
        "transitions",
        "deficit",
        "deficits",
        "sensitivity",
        "impasse",
        "renegotiation",
        "dissolution",
    }
)

KIND_LABELS: dict[str, str] = {
    "unique_essential": "unique and essential",
    "essential_not_unique": "essential, not unique",
    "compatible": "compatible, not required",
    "proscribed": "proscribed",
}


def label(value: str | None) -> str:
    """Human wording for a vocabulary value (problem area, stage, kind), else the value itself."""
    if value is None:
        return "none"
    for table in (PROBLEM_AREA_LABELS, DISPUTE_STAGE_LABELS, KIND_LABELS):
        if value in table:
            return table[value]
    return value.replace("_", " ")
