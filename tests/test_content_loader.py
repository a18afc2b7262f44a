"""The content formats: valid files load; every kind of broken file is refused with path:line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ipt_fidelity.content.library import load_library
from ipt_fidelity.content.yamlsource import MAX_BYTES, ContentError, read_document

MINI = Path(__file__).parent / "data" / "content"
LOCATED = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A writable copy of the mini content set."""
    shutil.copytree(MINI, tmp_path / "content")
    return tmp_path / "content"


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in load_library(root=root).problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def only_problem(root: Path) -> re.Match:
    problems = problems_of(root)
    assert len(problems) == 1, problems
    match = LOCATED.match(problems[0])
    assert match, problems[0]
    return match


def test_mini_content_is_valid():
    library = load_library(root=MINI)
    assert library.problems == []
    assert set(library.rubrics) == {"mini"}
    assert set(library.cases) == {"mini-case"}
    assert [i.id for i in library.applicable_items("mini-case-s06", "mini")] == [
        "grief_mourning",
        "pro_cbt",
    ]


def test_unknown_field_points_at_its_line(content: Path):
    case = content / "vignettes/mini-case/case.yaml"
    edit(case, "  rationale: The onset", "  rationale_typo: x\n  rationale: The onset")
    match = only_problem(content)
    assert int(match["line"]) == line_of(case, "rationale_typo")
    assert "rationale_typo" in match["message"] and "unknown field" in match["message"]


def test_bad_vocabulary_value_is_named(content: Path):
    case = content / "vignettes/mini-case/case.yaml"
    edit(case, "primary_problem_area: grief", "primary_problem_area: bereavement")
    match = only_problem(content)
    assert int(match["line"]) == line_of(case, "bereavement")
    assert "key.primary_problem_area" in match["message"]
    assert "role_dispute" in match["message"]


def test_missing_required_field(content: Path):
    case = content / "vignettes/mini-case/case.yaml"
    edit(case, "  model_formulation: Your depression began after Tom died.\n", "")
    match = only_problem(content)
    assert "key.model_formulation: required field is missing" in match["message"]
    assert int(match["line"]) == line_of(case, "primary_problem_area")


def test_cue_must_be_verbatim(content: Path):
    case = content / "vignettes/mini-case/case.yaml"
    edit(case, "quote: her husband died last spring", "quote: her husband passed away")
    match = only_problem(content)
    assert int(match["line"]) == line_of(case, "passed away")
    assert "verbatim" in match["message"]


def test_dispute_stage_only_with_a_dispute(content: Path):
    case = content / "vignettes/mini-case/case.yaml"
    edit(
        case,
        "  primary_problem_area: grief",
        "  primary_problem_area: grief\n  dispute_stage: impasse",
    )
    assert (
        "dispute_stage is only for a case with a role dispute" in only_problem(content)["message"]
    )


def test_anchor_missing_for_a_scale_point(content: Path):
    rubric = content / "rubrics/mini.yaml"
    edit(rubric, "anchors: {0: none, 1: brief, 2: dominates}", "anchors: {0: none, 2: dominates}")
    match = only_problem(content)
    assert int(match["line"]) == line_of(rubric, "anchors: {0: none, 2: dominates}")
    assert "missing [1]" in match["message"]


def test_score_off_the_scale(content: Path):
    session = content / "vignettes/mini-case/sessions/mini-case-s06.yaml"
    edit(session, "grief_mourning: {score: 2", "grief_mourning: {score: 7")
    match = only_problem(content)
    assert int(match["line"]) == line_of(session, "score: 7")
    assert "off the scale 0..2" in match["message"]


def test_evidence_turn_must_exist(content: Path):
    session = content / "vignettes/mini-case/sessions/mini-case-s06.yaml"
    edit(session, "evidence: [2, 3]", "evidence: [2, 30]")
    match = only_problem(content)
    assert int(match["line"]) == line_of(session, "evidence: [2, 30]")
    assert "evidence turn 30 does not exist" in match["message"]


def test_every_applicable_item_is_rated(content: Path):
    session = content / "vignettes/mini-case/sessions/mini-case-s06.yaml"
    edit(session, "    pro_cbt: {score: 0, rationale: None.}\n", "")
    assert "'pro_cbt' applies to this session" in only_problem(content)["message"]


def test_out_of_scope_item_is_refused(content: Path):
    session = content / "vignettes/mini-case/sessions/mini-case-s06.yaml"
    edit(session, "    pro_cbt:", "    dispute_stage: {score: 1, rationale: x}\n    pro_cbt:")
    match = only_problem(content)
    assert "does not apply to a middle session of a grief case" in match["message"]


def test_not_applicable_where_forbidden(content: Path):
    session = content / "vignettes/mini-case/sessions/mini-case-s06.yaml"
    edit(
        session,
        "grief_mourning: {score: 2, rationale: Explores the visit to the grave., evidence: [2, 3]}",
        "grief_mourning: {not_applicable: true, rationale: n/a}",
    )
    assert "may not be marked not applicable" in only_problem(content)["message"]


def test_score_and_not_applicable_together(content: Path):
    session = content / "vignettes/mini-case/sessions/mini-case-s06.yaml"
    edit(session, "pro_cbt: {score: 0,", "pro_cbt: {score: 0, not_applicable: true,")
    assert "not both" in only_problem(content)["message"]


def test_session_case_must_exist(content: Path):
    session = content / "vignettes/mini-case/sessions/mini-case-s06.yaml"
    edit(session, "case: mini-case", "case: nobody")
    match = only_problem(content)
    assert int(match["line"]) == 2 and "no case 'nobody'" in match["message"]


def test_turns_numbered_in_order(content: Path):
    session = content / "vignettes/mini-case/sessions/mini-case-s06.yaml"
    edit(session, "{n: 3,", "{n: 4,")
    match = only_problem(content)
    assert int(match["line"]) == line_of(session, "{n: 4,")
    assert "expected n: 3" in match["message"]


def test_duplicate_ids_across_files(content: Path):
    shutil.copy(content / "rubrics/mini.yaml", content / "rubrics/mini-copy.yaml")
    problems = problems_of(content)
    assert any("rubric id 'mini' is also used by" in p for p in problems), problems


def test_duplicate_item_ids(content: Path):
    rubric = content / "rubrics/mini.yaml"
    edit(rubric, "      - id: pro_cbt", "      - id: init_inventory")
    assert "item id 'init_inventory' is used twice" in "\n".join(problems_of(content))


def test_overlap_note_must_name_an_item_of_the_rubric(content: Path):
    rubric = content / "rubrics/mini.yaml"
    edit(
        rubric,
        "description: Disputes automatic thoughts.",
        "description: Disputes automatic thoughts; do not also lower mid_focus for it.",
    )
    match = only_problem(content)
    assert int(match["line"]) == line_of(rubric, "do not also lower mid_focus")
    assert "'mid_focus', which is not an item of this rubric" in match["message"]
    edit(rubric, "lower mid_focus for it", "lower grief_mourning for it")
    assert problems_of(content) == []


def test_rubric_rules_have_unique_ids(content: Path):
    rubric = content / "rubrics/mini.yaml"
    rule = "  - id: four\n    title: Fours\n    text: A 4 needs every condition.\n"
    edit(rubric, "sections:\n", "rules:\n" + rule + rule + "sections:\n")
    assert "rule id 'four' is used twice" in "\n".join(problems_of(content))


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (b"", "file is empty"),
        (b"   \n\n", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        (b"id: caf\xe9\n", "not UTF-8"),
        (b"- a\n- b\n", "expected a mapping"),
        (b"just a string\n", "expected a mapping"),
        (b"a: 1\n---\nb: 2\n", "expected one YAML document, found 2"),
        (b"a: [1, 2\nb: 3\n", "YAML syntax error"),
        (b"a: 1\nb: 2\na: 3\n", "duplicate key 'a' (first at line 1)"),
        (b"a: &x [1, 2]\nb: *x\n", "aliases (*x) are not allowed"),
        (b"a: !!python/object/apply:os.system ['true']\n", "YAML syntax error"),
    ],
)
def test_unsafe_or_malformed_files_are_refused(tmp_path: Path, payload: bytes, expected: str):
    path = tmp_path / "rubrics" / "bad.yaml"
    path.parent.mkdir()
    path.write_bytes(payload)
    with pytest.raises(ContentError) as caught:
        read_document(path)
    message = str(caught.value)
    assert expected in message
    assert LOCATED.match(message.splitlines()[0]), message


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (MAX_BYTES + 1))
    with pytest.raises(ContentError, match="the limit is"):
        read_document(path)


@pytest.mark.timeout(10)
def test_alias_bomb_is_refused_quickly(tmp_path: Path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines))
    with pytest.raises(ContentError, match=r"bomb.yaml:2:\d+: aliases"):
        read_document(path)


@pytest.mark.timeout(10)
def test_deep_nesting_is_refused(tmp_path: Path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 200 + "]" * 200 + "\n")
    with pytest.raises(ContentError, match="too many levels of nesting"):
        read_document(path)


def test_a_score_above_the_minimum_needs_evidence(content: Path):
    session = content / "vignettes/mini-case/sessions/mini-case-s06.yaml"
    edit(session, "pro_cbt: {score: 0, rationale: None.}", "pro_cbt: {score: 1, rationale: Some.}")
    match = only_problem(content)
    assert int(match["line"]) == line_of(session, "pro_cbt: {score: 1")
    assert "needs evidence turns" in match["message"]


@pytest.mark.parametrize(
    ("old", "new", "word"),
    [
        ("title: A small case", "title: A small grief case", "grief"),
        ("difficulty: introductory", "difficulty: introductory\ntags: [role-dispute]", "dispute"),
        ("title: A small case", "title: Stuck at an impasse", "impasse"),
    ],
)
def test_case_names_must_not_carry_the_answer(content: Path, old: str, new: str, word: str):
    case = content / "vignettes/mini-case/case.yaml"
    edit(case, old, new)
    match = only_problem(content)
    assert int(match["line"]) == line_of(case, new.splitlines()[-1])
    assert f"names the answer ({word})" in match["message"]


def test_session_id_and_title_must_not_carry_the_answer(content: Path):
    session = content / "vignettes/mini-case/sessions/mini-case-s06.yaml"
    edit(session, "session_number: 6", "title: Session 6, grief work\nsession_number: 6")
    match = only_problem(content)
    assert int(match["line"]) == line_of(session, "title:")
    assert "names the answer (grief)" in match["message"]


def test_case_names_a_known_session_rubric(content: Path):
    case = content / "vignettes/mini-case/case.yaml"
    edit(case, "rubric: mini", "rubric: nothing")
    problems = problems_of(content)
    assert any("no rubric 'nothing' in the library" in p for p in problems), problems


def test_reference_rating_uses_the_case_rubric(content: Path):
    shutil.copy(content / "rubrics/mini.yaml", content / "rubrics/other.yaml")
    edit(content / "rubrics/other.yaml", "id: mini", "id: other")
    edit(content / "vignettes/mini-case/case.yaml", "rubric: mini", "rubric: other")
    problems = problems_of(content)
    assert any("is rated with rubric 'other', not 'mini'" in p for p in problems), problems
