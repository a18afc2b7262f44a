"""Checks on Learn pages and their index, each pointing at a location path (see `checks.py`).

`check_page` and `check_index` look at one file; `check_learn_links` follows every link across
files: body links and index targets land on a page and section that exist, examples quote a turn
of a library session word for word, and every rubric item has a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from .checks import Finding, Loc
from .learn import (
    ANCHOR,
    CITATION,
    Example,
    Learn,
    LearnIndex,
    LearnPage,
    citation_ids,
    split_target,
)
from .models import Rubric, Session, normalise_quote
from .vocab import DISPUTE_STAGES, PHASES, PROBLEM_AREAS
from .yamlsource import Within

_MARKDOWN = MarkdownIt("commonmark").enable("table")
_LEARN_TARGET = re.compile(rf"^(?:[a-z0-9][a-z0-9_\-]*)?(?:#{ANCHOR})?$")
# A finding of the cross-file checks names its file: a page id, or None for the index.
FileFinding = tuple[str | None, Finding]
NO_HTML = "raw HTML is not shown (the app never renders HTML from content); use Markdown"


@dataclass
class Body:
    """What a section's Markdown holds that the checks care about."""

    links: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


def scan_body(markdown: str) -> Body:
    """Links, citations, and what the app cannot show (raw HTML, images, big headings)."""
    body = Body()
    env: dict = {}
    tokens = _MARKDOWN.parse(markdown, env)
    for ref in env.get("references", {}).values():
        body.problems.append(
            (ref["href"], "write links inline, [text](target); link definitions are not supported")
        )
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h1", "h2"):
            body.problems.append(
                (
                    tokens[i + 1].content,
                    "headings in a body start at ###: the app draws page and section titles",
                )
            )
        elif token.type == "html_block":
            body.problems.append((_first_line(token.content), NO_HTML))
        for child in token.children or []:
            if child.type == "link_open":
                body.links.append(str(child.attrs["href"]))
            elif child.type == "image":
                body.problems.append((str(child.attrs["src"]), "images are not supported"))
            elif child.type == "html_inline":
                body.problems.append((child.content, NO_HTML))
            elif child.type == "text":
                for inner in CITATION.findall(child.content):
                    body.citations.extend(citation_ids(inner))
    return body


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def check_page(page: LearnPage) -> Iterator[Finding]:
    """Anchors unique; bodies show in the app; every citation names a source, every source cited."""
    source_ids = {s.id for s in page.sources}
    seen_sources: set[str] = set()
    for k, source in enumerate(page.sources):
        if source.id in seen_sources:
            yield ("sources", k, "id"), f"source id {source.id!r} is used twice"
        seen_sources.add(source.id)
    anchors: set[str] = set()
    cited: set[str] = set()
    for si, section in enumerate(page.sections):
        if section.anchor in anchors:
            yield ("sections", si, "anchor"), f"anchor {section.anchor!r} is used twice"
        anchors.add(section.anchor)
        at: Loc = ("sections", si, "body")
        body = scan_body(section.body)
        for piece, message in body.problems:
            yield (*at, Within(piece)), message
        for source_id in body.citations:
            cited.add(source_id)
            if source_id not in source_ids:
                yield (
                    (*at, Within(f"@{source_id}")),
                    f"cites {source_id!r}, which is not in this page's sources",
                )
    for k, source in enumerate(page.sources):
        if source.id not in cited:
            yield (
                ("sources", k, "id"),
                f"source {source.id!r} is never cited: cite it as [@{source.id}] where the page "
                "relies on it, or remove it",
            )


def check_index(index: LearnIndex) -> Iterator[Finding]:
    """Pages listed once; every problem area, dispute stage and phase has its page."""
    seen: set[str] = set()
    for k, page_id in enumerate(index.pages):
        if page_id in seen:
            yield ("pages", k), f"page {page_id!r} is listed twice"
        seen.add(page_id)
    for key, vocabulary, table in (
        ("problem_areas", PROBLEM_AREAS, index.problem_areas),
        ("dispute_stages", DISPUTE_STAGES, index.dispute_stages),
        ("phases", PHASES, index.phases),
    ):
        missing = [value for value in vocabulary if value not in table]
        if missing:
            yield (key,), f"{key}: give the page of {', '.join(missing)}"


def check_learn_links(
    learn: Learn,
    rubrics: Mapping[str, Rubric],
    sessions: Mapping[str, Session],
    broken: set[tuple[str, str]],
) -> Iterator[FileFinding]:
    """Every link, quote and mapping across files; a file that failed to load was reported."""
    for page in learn.pages.values():
        if learn.index is not None and page.id not in learn.index.pages:
            yield page.id, (("id",), f"page {page.id!r} is not listed in the index's pages")
        for loc, message in _page_links(learn, page, sessions, broken):
            yield page.id, (loc, message)
    if learn.index is not None:
        for loc, message in _index_links(learn, learn.index, rubrics, broken):
            yield None, (loc, message)


def _page_links(
    learn: Learn, page: LearnPage, sessions: Mapping[str, Session], broken: set[tuple[str, str]]
) -> Iterator[Finding]:
    for si, section in enumerate(page.sections):
        for href in scan_body(section.body).links:
            if href.startswith(("https://", "http://")):
                continue
            problem = _target_problem(learn, href, page.id, broken)
            if problem:
                yield ("sections", si, "body", Within(f"]({href})")), problem
        for ei, example in enumerate(section.examples):
            at: Loc = ("sections", si, "examples", ei)
            yield from _example_problems(example, at, sessions, broken)


def _example_problems(
    example: Example, at: Loc, sessions: Mapping[str, Session], broken: set[tuple[str, str]]
) -> Iterator[Finding]:
    """The example's session and turn exist and the quote is in that turn, word for word."""
    session = sessions.get(example.session)
    if session is None:
        if ("session", example.session) not in broken:
            yield (*at, "session"), f"no session {example.session!r} in the library"
        return
    if example.turn > len(session.turns):
        yield (
            (*at, "turn"),
            f"turn {example.turn} does not exist ({session.id} has turns 1..{len(session.turns)})",
        )
        return
    turn = session.turns[example.turn - 1]
    if normalise_quote(example.quote) not in normalise_quote(turn.text):
        yield (
            (*at, "quote"),
            f"quote does not occur verbatim in turn {example.turn} of {session.id} "
            f"(a {turn.speaker} turn)",
        )


def _target_problem(
    learn: Learn, target: str, page: str | None, broken: set[tuple[str, str]]
) -> str | None:
    """Why a link target does not land, or None when it does."""
    if not _LEARN_TARGET.match(target) or target == "":
        return (
            f"link {target!r} is not a Learn page (page or page#anchor), a #anchor on this page, "
            "or an https:// address"
        )
    page_id, anchor = split_target(target)
    page_id = page_id or page or ""
    if page_id not in learn.pages:
        if ("learn_page", page_id) in broken:
            return None
        return f"link {target!r}: there is no Learn page {page_id!r}"
    if learn.resolve(target, page) is None:
        anchors = ", ".join(s.anchor for s in learn.pages[page_id].sections)
        return f"link {target!r}: page {page_id!r} has no section #{anchor} (it has {anchors})"
    return None


def _index_links(
    learn: Learn, index: LearnIndex, rubrics: Mapping[str, Rubric], broken: set[tuple[str, str]]
) -> Iterator[Finding]:
    for k, page_id in enumerate(index.pages):
        if page_id not in learn.pages and ("learn_page", page_id) not in broken:
            yield ("pages", k), f"there is no Learn page {page_id!r} (learn/{page_id}.yaml)"
    for key in ("problem_areas", "dispute_stages", "phases", "items"):
        table: Mapping[str, str] = getattr(index, key)
        for name, target in table.items():
            problem = _target_problem(learn, target, None, broken)
            if problem:
                yield (key, name), f"{name}: {problem}"
    if any(kind == "rubric" for kind, _ in broken):
        return
    owners = {item.id: rubric.id for rubric in rubrics.values() for item in rubric.items}
    for item_id in index.items:
        if item_id not in owners:
            yield ("items", item_id), f"{item_id!r} is not an item of any rubric in the library"
    for rubric in rubrics.values():
        for item in rubric.items:
            if item.id not in index.items:
                yield (
                    ("items",),
                    f"item {item.id!r} of rubric {rubric.id!r} has no Learn page: map it under "
                    "items to the page#anchor that teaches it",
                )
