"""The shipped content library: complete, consistent, and teaching the distinctions it promises."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest

from ipt_fidelity.config import REPO_ROOT
from ipt_fidelity.content.checks import OVERLAP_NOTE
from ipt_fidelity.content.library import load_library
from ipt_fidelity.content.models import normalise_quote
from ipt_fidelity.content.vocab import DISPUTE_STAGES, PHASES, PROBLEM_AREAS

LIB = load_library(root=REPO_ROOT)
ADHERENCE = LIB.rubrics["ipt_adherence"]
ADOLESCENT = LIB.rubrics["ipta_adherence"]
SESSION_RUBRICS = [r for r in LIB.rubrics.values() if r.target == "session"]


def fidelity_total(session_id: str) -> float:
    """Mean adherence score on the session's own rubric, proscribed reversed, N/A excluded."""
    session = LIB.sessions[session_id]
    rubric = LIB.rubric_for(session)
    items = session.reference_rating.items
    top = rubric.scale.max
    values = []
    for item in rubric.items:
        rating = items.get(item.id)
        if item.dimension != "adherence" or rating is None or rating.score is None:
            continue
        values.append(top - rating.score if item.kind == "proscribed" else rating.score)
    return sum(values) / len(values)


def test_shipped_content_validates():
    assert [str(p) for p in LIB.problems] == []


def test_library_size_and_coverage():
    assert len(LIB.rubrics) >= 3
    assert {"ipt_adherence", "ipta_adherence", "ipt_formulation"} <= set(LIB.rubrics)
    assert LIB.rubrics["ipt_formulation"].target == "formulation"
    assert 20 <= len(ADHERENCE.items) <= 35
    primaries = Counter(c.key.primary_problem_area for c in LIB.cases.values())
    assert len(LIB.cases) >= 12
    assert all(primaries[area] >= 3 for area in PROBLEM_AREAS), primaries
    phases = Counter(s.phase for s in LIB.sessions.values())
    assert len(LIB.sessions) >= 21
    assert all(phases[phase] >= 5 for phase in PHASES), phases
    assert {s.case for s in LIB.sessions.values()} == set(LIB.cases), "every case has a session"
    assert {s.difficulty for s in LIB.sessions.values()} == {
        "introductory",
        "intermediate",
        "advanced",
    }
    fidelity = Counter(s.fidelity for s in LIB.sessions.values())
    assert fidelity["high"] >= 3 and fidelity["mixed"] >= 2 and fidelity["low"] >= 2


@pytest.mark.parametrize("session_id", sorted(LIB.sessions))
def test_every_session_is_expert_rated_and_long_enough(session_id: str):
    session = LIB.sessions[session_id]
    assert session.reference_rating is not None
    assert 40 <= len(session.turns) <= 120
    assert {t.speaker for t in session.turns} == {"therapist", "client"}
    assert all(t.start is not None for t in session.turns)


@pytest.mark.parametrize("case_id", sorted(LIB.cases))
def test_every_cue_is_verbatim_and_every_vignette_reads_like_an_intake(case_id: str):
    case = LIB.cases[case_id]
    text = normalise_quote(case.vignette.full_text())
    for cue in case.key.cues:
        assert normalise_quote(cue.quote) in text, cue.quote
    words = len(re.findall(r"\w+", case.vignette.full_text()))
    assert 300 <= words <= 700, words


def test_every_evidence_turn_exists():
    for session in LIB.sessions.values():
        last = len(session.turns)
        for item_id, rating in session.reference_rating.items.items():
            assert all(1 <= n <= last for n in rating.evidence), (session.id, item_id)


def test_total_adherence_orders_high_above_mixed_above_low():
    totals = {level: [] for level in ("high", "mixed", "low")}
    for session in LIB.sessions.values():
        totals[session.fidelity].append(fidelity_total(session.id))
    assert min(totals["high"]) > max(totals["mixed"]), totals
    assert min(totals["mixed"]) > max(totals["low"]), totals


def test_every_rubric_item_is_scored_somewhere():
    scored = {
        item_id
        for session in LIB.sessions.values()
        for item_id, rating in session.reference_rating.items.items()
        if rating.score is not None
    }
    assert [i.id for i in ADHERENCE.items if i.id not in scored] == []
    adolescent_only = [i.id for i in ADOLESCENT.items if i.id.startswith("ipta_")]
    assert [i for i in adolescent_only if i not in scored] == []


def test_each_case_names_the_session_rubric_for_its_variant():
    for case in LIB.cases.values():
        rubric = LIB.rubrics[case.rubric]
        assert rubric.target == "session", case.id
        expected = "ipta_adherence" if case.vignette.client.age < 18 else "ipt_adherence"
        assert case.rubric == expected, (case.id, case.rubric)
    for session in LIB.sessions.values():
        assert session.reference_rating.rubric == LIB.cases[session.case].rubric, session.id


def test_the_adolescent_rubric_reuses_adult_ids_for_the_same_concept():
    adult = {i.id: i for i in ADHERENCE.items}
    for item in ADOLESCENT.items:
        if item.id.startswith("ipta_"):
            assert item.id not in adult, item.id
            continue
        assert item.id in adult, f"{item.id}: a new concept needs an ipta_ id"
        same = adult[item.id]
        assert (item.kind, item.dimension, item.problem_areas) == (
            same.kind,
            same.dimension,
            same.problem_areas,
        ), item.id
    assert any(i.id == "ipta_work_at_home" and i.kind == "compatible" for i in ADOLESCENT.items)


@pytest.mark.parametrize("rubric", SESSION_RUBRICS, ids=lambda r: r.id)
def test_session_rubrics_state_their_scoring_rules(rubric):
    rules = {r.id for r in rubric.rules}
    assert {"four_needs_all", "one_fault_one_item", "time_limit", "quality_is_skill"} <= rules
    assert "phase_work" in rules
    undermining, silence = (rubric.item("mid_time_limit").anchors[k].lower() for k in (0, 1))
    assert "undermines" in undermining and "not mentioned" in silence
    ids = {i.id for i in rubric.items}
    for item in rubric.items:
        text = " ".join(item.description.split()).lower()
        if item.kind == "proscribed":
            named = set(OVERLAP_NOTE.findall(text) + re.findall(r"scored on ([a-z_]+)", text))
            assert named & ids, f"{item.id} names none of the items it must not be counted twice on"
        if item.dimension == "quality":
            assert "adherence" in text, f"{item.id} does not say adherence is rated elsewhere"


def test_each_problem_areas_strategies_are_exercised():
    for area in PROBLEM_AREAS:
        strategies = {i.id for i in ADHERENCE.items if area in i.problem_areas}
        exercised = [
            session.id
            for session in LIB.sessions.values()
            for item_id, rating in session.reference_rating.items.items()
            if item_id in strategies and (rating.score or 0) > 0
        ]
        assert exercised, f"no session exercises the {area} strategies"


def test_the_hard_distinctions_are_taught():
    keys = [c.key for c in LIB.cases.values()]
    assert {k.dispute_stage for k in keys} >= set(DISPUTE_STAGES)
    assert sum(k.secondary_problem_area is not None for k in keys) >= 3
    ages = [c.vignette.client.age for c in LIB.cases.values()]
    assert min(ages) < 18 and max(ages) >= 65
    low = [s for s in LIB.sessions.values() if s.fidelity == "low"]
    for s in low:
        proscribed = [i.id for i in LIB.rubric_for(s).items if i.kind == "proscribed"]
        scores = [s.reference_rating.items[p].score or 0 for p in proscribed]
        assert max(scores) >= 2, f"{s.id}: a low-fidelity session shows a proscribed behaviour"


def test_every_item_has_behavioural_anchors_for_every_point():
    for rubric in LIB.rubrics.values():
        for item in rubric.items:
            assert sorted(item.anchors) == rubric.scale.points
            assert len(set(item.anchors.values())) == len(rubric.scale.points), item.id


@pytest.mark.parametrize(
    "path", sorted([*REPO_ROOT.glob("rubrics/*.yaml"), *REPO_ROOT.glob("vignettes/**/*.yaml")])
)
def test_shipped_files_name_their_schema(path: Path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    assert (path.parent / match.group(1)).resolve().is_file()


def test_every_file_cites_its_sources():
    assert all(r.sources for r in LIB.rubrics.values())
    assert all(c.sources for c in LIB.cases.values())


def test_reference_scores_train_the_middle_of_the_scale():
    """Each of the points 1, 2 and 3 is at least 15% of the library's scored items, so a trainee
    learns to tell 2 from 3, not only 0 from 4."""
    scores = Counter(
        rating.score
        for session in LIB.sessions.values()
        for rating in session.reference_rating.items.values()
        if rating.score is not None
    )
    total = sum(scores.values())
    shares = {point: scores[point] / total for point in range(5)}
    assert all(shares[point] >= 0.15 for point in (1, 2, 3)), shares


def test_fidelity_totals_spread_across_the_range():
    """Totals are not three clusters: they span most of the scale with no wide empty band."""
    totals = sorted(fidelity_total(s) for s in LIB.sessions)
    assert totals[-1] - totals[0] >= 2.5, totals
    gaps = [b - a for a, b in itertools.pairwise(totals)]
    assert max(gaps) <= 1.0, totals
    middle = [t for t in totals if 1.5 <= t <= 3.0]
    assert len(middle) >= len(totals) // 2, totals
