"""Learn pages: they load, every kind of broken page or link is refused at its line, the links
into Learn land, and the shipped pages teach what the rubrics rate."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from ipt_fidelity.config import REPO_ROOT
from ipt_fidelity.content.learn import Example, LearnIndex, LearnPage, Link, example_open
from ipt_fidelity.content.learncheck import check_index, check_page
from ipt_fidelity.content.library import load_library
from ipt_fidelity.content.models import normalise_quote
from ipt_fidelity.content.vocab import DISPUTE_STAGES, PHASES, PROBLEM_AREAS

DATA = Path(__file__).parent / "data"
LOCATED = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")
SHIPPED = load_library(root=REPO_ROOT)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A writable content root: the mini rubric, case and session, and two mini Learn pages."""
    root = tmp_path / "content"
    shutil.copytree(DATA / "content", root)
    shutil.copytree(DATA / "learn", root / "learn")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def only_problem(root: Path) -> re.Match:
    problems = [str(p) for p in load_library(root=root).problems]
    assert len(problems) == 1, problems
    match = LOCATED.match(problems[0])
    assert match, problems[0]
    return match


def test_mini_learn_loads_with_its_links(content: Path):
    library = load_library(root=content)
    assert library.problems == []
    learn = library.learn
    assert [p.id for p in learn.contents()] == ["basics", "areas"]
    assert learn.for_item("grief_mourning") == Link("areas", "grief", "Grief")
    assert learn.for_area("role_transition") == Link("areas", None, "Problem areas")
    assert learn.for_stage("impasse") == Link("areas", "dispute", "Dispute")
    assert learn.for_phase("initial") == Link("basics", "start", "Starting out")
    assert learn.for_item("no_such_item") is None
    assert learn.resolve("#not-this", page="basics") == Link("basics", "not-this", "Not this")


def test_section_markdown_routes_learn_links_and_numbers_citations(content: Path):
    learn = load_library(root=content).learn
    page = learn.pages["basics"]
    first = learn.section_markdown(page, page.sections[0], lambda link: f"/learn?to={link.target}")
    assert "take an inventory [1]." in first
    assert "[the areas page](/learn?to=areas#grief)" in first
    assert "[below](/learn?to=basics#not-this)" in first
    assert "[a guide](https://example.org/guide)" in first
    second = learn.section_markdown(page, page.sections[1], lambda link: "")
    assert second == "Disputing thoughts is not IPT [1, 2]."


def test_examples_follow_the_blind_rule(content: Path):
    sessions = load_library(root=content).sessions
    example = Example(session="mini-case-s06", turn=1, quote="How", note="n")
    assert sessions["mini-case-s06"].use == "calibration"
    assert not example_open(example, sessions, rated=set())
    assert example_open(example, sessions, rated={"mini-case-s06"})
    practice = {"mini-case-s06": sessions["mini-case-s06"].model_copy(update={"use": "practice"})}
    assert example_open(example, practice, rated=set())
    assert not example_open(example, {}, rated={"mini-case-s06"})


# ---------------------------------------------------------------- broken pages, one at a time

BASICS = "learn/basics.yaml"
AREAS = "learn/areas.yaml"
INDEX = "learn/index.yaml"


@pytest.mark.parametrize(
    ("file", "old", "new", "at", "message"),
    [
        (BASICS, "summary:", "sumary: x\nsummary:", "sumary", "sumary: unknown field"),
        (
            AREAS,
            "    title: Dispute\n",
            "",
            "  - anchor: dispute",
            "sections.1.title: required field is missing",
        ),
        (BASICS, "anchor: not-this", "anchor: Not This", "Not This", "String should match"),
        (
            BASICS,
            "sources:",
            '  - anchor: "start"\n    title: Again\n    body: Again.\nsources:',
            'anchor: "start"',
            "anchor 'start' is used twice",
        ),
        (
            BASICS,
            "(areas#grief)",
            "(areas#mourning)",
            "areas#mourning",
            "page 'areas' has no section #mourning (it has grief, dispute)",
        ),
        (BASICS, "(areas#grief)", "(griefs#x)", "griefs#x", "there is no Learn page 'griefs'"),
        (BASICS, "(#not-this)", "(#nothing)", "#nothing", "page 'basics' has no section"),
        (BASICS, "(areas#grief)", "(areas.yaml)", "areas.yaml", "is not a Learn page"),
        (
            BASICS,
            "inventory [@weissman2018]",
            "inventory [@weisman2018]",
            "@weisman2018",
            "cites 'weisman2018', which is not in this page's sources",
        ),
        (
            BASICS,
            "[@weissman2018; @markowitz1998]",
            "[@weissman2018]",
            "- id: markowitz1998",
            "source 'markowitz1998' is never cited",
        ),
        (
            BASICS,
            "The first sessions",
            "## Inventory\n      The first sessions",
            "## Inventory",
            "headings in a body start at ###",
        ),
        (BASICS, "The first sessions", "The<br> first sessions", "<br>", "raw HTML"),
        (BASICS, "and [a guide]", "and ![a chart](chart.png) [a guide]", "chart.png", "images"),
        (
            BASICS,
            "[a guide](https://example.org/guide).",
            "[a guide][g].\n\n      [g]: https://example.org/guide",
            "[g]: https",
            "write links inline",
        ),
        (
            BASICS,
            "session: mini-case-s06",
            "session: mini-case-s99",
            "mini-case-s99",
            "no session 'mini-case-s99' in the library",
        ),
        (
            BASICS,
            "turn: 1",
            "turn: 9",
            "turn: 9",
            "turn 9 does not exist (mini-case-s06 has turns 1..3)",
        ),
        (
            BASICS,
            "quote: how have things been",
            "quote: how have you been",
            "how have you been",
            "quote does not occur verbatim in turn 1 of mini-case-s06 (a therapist turn)",
        ),
        (AREAS, "shows: model", "shows: good", "shows: good", "'model' or 'pitfall'"),
        (AREAS, "id: areas", "id: topics", "id: topics", "must match its file name 'areas'"),
        (INDEX, "pages: [basics, areas]", "pages: [basics]", None, "not listed in the index"),
        (
            INDEX,
            "pages: [basics, areas]",
            "pages: [basics, areas, more]",
            "pages:",
            "there is no Learn page 'more'",
        ),
        (INDEX, "  impasse: areas#dispute\n", "", "renegotiation:", "give the page of impasse"),
        (INDEX, "grief: areas#grief", "grief: areas#loss", "areas#loss", "no section #loss"),
        (
            INDEX,
            "  pro_cbt: basics#not-this\n",
            "  pro_cbt: basics#not-this\n  pro_homework: basics\n",
            "pro_homework",
            "'pro_homework' is not an item of any rubric in the library",
        ),
        (
            INDEX,
            "  dispute_stage: areas#dispute\n",
            "",
            "init_inventory:",
            "item 'dispute_stage' of rubric 'mini' has no Learn page",
        ),
        (INDEX, "  grief: areas#grief\n", "  griefs: areas#grief\n", "griefs", "problem_areas"),
    ],
)
def test_each_broken_learn_file_is_refused_at_its_line(
    content: Path, file: str, old: str, new: str, at: str | None, message: str
):
    path = content / file
    edit(path, old, new)
    match = only_problem(content)
    shown = "learn/areas.yaml" if at is None else file
    assert match["path"].endswith(shown), match.group(0)
    if at is not None:
        assert int(match["line"]) == line_of(path, at), match.group(0)
    assert message in match["message"] or re.search(message, match["message"]), match.group(0)


def test_a_link_deep_in_a_body_points_at_its_own_line_and_column(content: Path):
    path = content / BASICS
    edit(path, "and [a guide]", "and [the wrong page](nowhere#x) [a guide]")
    match = only_problem(content)
    line = line_of(path, "(nowhere#x)")
    assert int(match["line"]) == line
    column = path.read_text(encoding="utf-8").splitlines()[line - 1].index("](nowhere#x)") + 1
    assert int(match["col"]) == column


def test_a_broken_session_is_reported_once_not_again_by_its_examples(content: Path):
    session = content / "vignettes/mini-case/sessions/mini-case-s06.yaml"
    edit(session, "phase: middle", "phase: late")
    match = only_problem(content)
    assert match["path"].endswith("mini-case-s06.yaml")


def test_learn_alone_validates_only_with_the_library_it_links_to(content: Path):
    problems = [str(p) for p in load_library([content / "learn"], root=content).problems]
    assert any("no session 'mini-case-s06' in the library" in p for p in problems)
    assert any("'pro_cbt' is not an item of any rubric" in p for p in problems)


def test_a_second_index_is_refused_and_the_first_kept(content: Path):
    other = content / "more" / "learn"
    other.mkdir(parents=True)
    shutil.copy(content / INDEX, other / "index.yaml")
    paths = [content / "rubrics", content / "vignettes", content / "learn", other]
    problems = [str(p) for p in load_library(paths, root=content).problems]
    assert len(problems) == 1, problems
    assert "more/learn/index.yaml:1:1: a second Learn index; the first is" in problems[0]
    assert load_library(paths, root=content).learn.contents()[0].id == "basics"


def test_a_content_root_without_learn_still_loads():
    library = load_library(root=DATA / "content")
    assert library.problems == []
    assert library.learn.contents() == []
    assert library.learn.for_item("grief_mourning") is None


# ---------------------------------------------------------------- the shipped pages

LEARN = SHIPPED.learn
SESSION_RUBRICS = [r for r in SHIPPED.rubrics.values() if r.target == "session"]


def test_shipped_learn_pages_validate_with_the_library():
    assert [str(p) for p in SHIPPED.problems] == []
    assert SHIPPED.learn_index is not None
    assert len(SHIPPED.learn_pages) >= 10


def test_every_rubric_item_links_to_the_section_teaching_it():
    for rubric in SHIPPED.rubrics.values():
        for item in rubric.items:
            link = LEARN.for_item(item.id)
            assert link is not None and link.anchor, (rubric.id, item.id)


def test_every_problem_area_stage_and_phase_links_to_its_page():
    for area in PROBLEM_AREAS:
        assert LEARN.for_area(area) is not None, area
    for stage in DISPUTE_STAGES:
        link = LEARN.for_stage(stage)
        assert link is not None and link.anchor == stage, stage
    for phase in PHASES:
        assert LEARN.for_phase(phase) is not None, phase


def test_each_area_has_its_own_page_and_the_items_of_an_area_land_on_it():
    pages = {area: LEARN.for_area(area).page for area in PROBLEM_AREAS}
    assert len(set(pages.values())) == len(PROBLEM_AREAS), pages
    for rubric in SESSION_RUBRICS:
        for item in rubric.items:
            if len(item.problem_areas) == 1:
                assert LEARN.for_item(item.id).page == pages[item.problem_areas[0]], item.id


@pytest.mark.parametrize(
    ("page", "anchors"),
    [
        ("what-is-ipt", {"overview", "roots", "how-it-works", "evidence", "traditions"}),
        (
            "adaptations",
            {"adolescents", "groups", "perinatal", "older-adults", "low-resource", "brief"},
        ),
        (
            "phases",
            {"initial", "sick-role", "inventory", "formulation", "contract", "middle"}
            | {"termination", "discuss-ending", "relapse-plan"},
        ),
        ("choosing-an-area", {"choosing", "two-areas", "traps"}),
        ("role-dispute", {"renegotiation", "impasse", "dissolution"}),
        (
            "techniques",
            {"clarification", "communication-analysis", "decision-analysis", "role-play"}
            | {"affect", "therapeutic-relationship", "linking-mood"},
        ),
        (
            "not-ipt",
            {"why-it-matters", "cognitive-restructuring", "homework", "transference"}
            | {"past", "unfocused-support"},
        ),
    ],
)
def test_the_pages_cover_what_the_brief_asks(page: str, anchors: set[str]):
    have = {s.anchor for s in LEARN.pages[page].sections}
    assert anchors <= have, anchors - have


def test_worked_examples_quote_turns_verbatim_briefly_and_show_both_kinds():
    examples = [
        (page.id, e) for page in LEARN.contents() for s in page.sections for e in s.examples
    ]
    assert len(examples) >= 30
    assert {e.shows for _, e in examples} == {"model", "pitfall"}
    for page_id, example in examples:
        turn = SHIPPED.sessions[example.session].turns[example.turn - 1]
        assert normalise_quote(example.quote) in normalise_quote(turn.text), (page_id, example)
        assert len(example.quote.split()) <= 60, (page_id, example.session, example.turn)
    practice = {s.id for s in SHIPPED.sessions.values() if s.use == "practice"}
    assert sum(e.session in practice for _, e in examples) >= 10, "open to every trainee"


def test_the_technique_and_area_sections_each_show_a_worked_example():
    for page_id, anchor in [
        ("techniques", "clarification"),
        ("techniques", "communication-analysis"),
        ("techniques", "decision-analysis"),
        ("techniques", "role-play"),
        ("techniques", "affect"),
        ("techniques", "therapeutic-relationship"),
        ("techniques", "linking-mood"),
        ("grief", "mourning"),
        ("role-dispute", "renegotiation"),
        ("role-transition", "old-role"),
        ("interpersonal-deficits", "new-ties"),
        ("not-ipt", "cognitive-restructuring"),
        ("not-ipt", "transference"),
        ("not-ipt", "unfocused-support"),
    ]:
        assert LEARN.pages[page_id].section(anchor).examples, (page_id, anchor)


def test_every_page_cites_dated_published_sources():
    for page in LEARN.contents():
        for source in page.sources:
            assert re.search(r"\((19|20)\d\d[a-z]?\)", source.citation), (page.id, source.id)


@pytest.mark.parametrize("path", sorted(REPO_ROOT.glob("learn/*.yaml")))
def test_shipped_learn_files_name_their_schema(path: Path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    kind = "learn_index" if path.name == "index.yaml" else "learn_page"
    assert first == f"# yaml-language-server: $schema=../schemas/{kind}.schema.json"
    assert (REPO_ROOT / "schemas" / f"{kind}.schema.json").is_file()


def _yaml_block_after(heading: str) -> str:
    """The first ```yaml block after a heading of CONTENT.md."""
    text = (REPO_ROOT / "CONTENT.md").read_text(encoding="utf-8")
    after = text[text.index(heading) :]
    return after[after.index("```yaml\n") + 8 : after.index("\n```", after.index("```yaml"))]


def test_content_md_shows_a_valid_page_and_index():
    page = LearnPage.model_validate(yaml.safe_load(_yaml_block_after("### A page")))
    assert list(check_page(page)) == []
    index = LearnIndex.model_validate(yaml.safe_load(_yaml_block_after("### The index")))
    assert list(check_index(index)) == []
    example = page.sections[0].examples[0]
    turn = SHIPPED.sessions[example.session].turns[example.turn - 1]
    assert normalise_quote(example.quote) in normalise_quote(turn.text)
