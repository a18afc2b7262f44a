"""Meaning checks on single content files and across files, each pointing at a location path.

A location is the key/index path into the YAML document, so the loader can turn it into a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .models import Case, Rubric, Session, normalise_quote
from .vocab import ANSWER_WORDS

Loc = tuple[str | int, ...]
Finding = tuple[Loc, str]


# "do not also lower mid_focus for this": the overlap notes name the item that owns a fault.
OVERLAP_NOTE = re.compile(r"do not also (?:lower|raise|count|score) (?:it on )?([a-z][a-z0-9_]*)")


def check_rubric(rubric: Rubric) -> Iterator[Finding]:
    """Ids unique, anchors on every scale point, source ids known, overlap notes name items."""
    yield from _overlap_notes(rubric)
    rule_ids: set[str] = set()
    for ri, rule in enumerate(rubric.rules):
        if rule.id in rule_ids:
            yield ("rules", ri, "id"), f"rule id {rule.id!r} is used twice"
        rule_ids.add(rule.id)
    points = rubric.scale.points
    source_ids = {s.id for s in rubric.sources}
    seen: dict[str, Loc] = {}
    section_ids: set[str] = set()
    for si, section in enumerate(rubric.sections):
        if section.id in section_ids:
            yield ("sections", si, "id"), f"section id {section.id!r} is used twice"
        section_ids.add(section.id)
        for ii, item in enumerate(section.items):
            at: Loc = ("sections", si, "items", ii)
            if item.id in seen:
                yield (*at, "id"), f"item id {item.id!r} is used twice"
            seen[item.id] = at
            if sorted(item.anchors) != points:
                missing = sorted(set(points) - set(item.anchors))
                extra = sorted(set(item.anchors) - set(points))
                detail = "; ".join(
                    filter(
                        None,
                        [
                            f"missing {missing}" if missing else "",
                            f"off the scale {extra}" if extra else "",
                        ],
                    )
                )
                yield (
                    (*at, "anchors"),
                    f"item {item.id!r}: anchors must describe every scale point "
                    f"{rubric.scale.min}..{rubric.scale.max} ({detail})",
                )
            for k, source in enumerate(item.sources):
                if source not in source_ids:
                    yield (*at, "sources", k), f"unknown source id {source!r}"


def _overlap_notes(rubric: Rubric) -> Iterator[Finding]:
    """Every "do not also lower <item>" note names an item of this rubric."""
    item_ids = {i.id for i in rubric.items}
    texts: list[tuple[Loc, str]] = [
        (("rules", ri, "text"), rule.text) for ri, rule in enumerate(rubric.rules)
    ]
    for si, section in enumerate(rubric.sections):
        for ii, item in enumerate(section.items):
            texts.append((("sections", si, "items", ii, "description"), item.description))
    for loc, text in texts:
        for named in OVERLAP_NOTE.findall(" ".join(text.split()).lower()):
            if named not in item_ids:
                yield loc, f"overlap note names {named!r}, which is not an item of this rubric"


def answer_neutral(fields: Iterable[tuple[Loc, str]]) -> Iterator[Finding]:
    """Ids, titles and tags must not name a problem area or dispute stage (they reach the HTML)."""
    for loc, value in fields:
        named = sorted(set(re.findall(r"[a-z]+", value.lower())) & ANSWER_WORDS)
        if named:
            yield (
                loc,
                (
                    f"{value!r} names the answer ({', '.join(named)}): ids, titles and tags reach "
                    "URLs and the page's HTML, so they must be answer-neutral"
                ),
            )


def check_case(case: Case) -> Iterator[Finding]:
    """Answer-neutral names; cue quotes occur verbatim in the vignette; key people in inventory."""
    yield from answer_neutral(
        [(("id",), case.id), (("title",), case.title)]
        + [(("tags", i), tag) for i, tag in enumerate(case.tags)]
    )
    text = normalise_quote(case.vignette.full_text())
    for i, cue in enumerate(case.key.cues):
        if normalise_quote(cue.quote) not in text:
            yield ("key", "cues", i, "quote"), "cue quote does not occur verbatim in the vignette"
    names = {normalise_quote(p.name) for p in case.vignette.interpersonal_inventory}
    for i, person in enumerate(case.key.key_people):
        if normalise_quote(person) not in names:
            yield (
                ("key", "key_people", i),
                f"{person!r} is not a name in the vignette's interpersonal_inventory",
            )


def check_session(session: Session) -> Iterator[Finding]:
    """Answer-neutral names; turns numbered 1..n, times never go back; evidence turns exist."""
    yield from answer_neutral([(("id",), session.id), (("title",), session.title)])
    previous: float | None = None
    for i, turn in enumerate(session.turns):
        if turn.n != i + 1:
            yield ("turns", i, "n"), f"turns must be numbered 1, 2, 3, ...; expected n: {i + 1}"
        if turn.start is not None:
            if previous is not None and turn.start < previous:
                yield ("turns", i, "start"), f"start {turn.start} is before the previous turn's"
            previous = turn.start
    if session.reference_rating is None:
        return
    last = len(session.turns)
    for item_id, rating in session.reference_rating.items.items():
        for k, n in enumerate(rating.evidence):
            if not 1 <= n <= last:
                yield (
                    ("reference_rating", "items", item_id, "evidence", k),
                    f"evidence turn {n} does not exist (turns are 1..{last})",
                )


def check_session_against(session: Session, case: Case, rubric: Rubric) -> Iterator[Finding]:
    """The reference rating covers exactly the rubric items in scope, on the scale."""
    rating = session.reference_rating
    if rating is None:
        return
    if rating.rubric_version != rubric.version:
        yield (
            ("reference_rating", "rubric_version"),
            f"rubric {rubric.id!r} is at version {rubric.version}, not {rating.rubric_version}",
        )
    in_scope = {i.id: i for i in rubric.applicable_items(session.phase, case.key.areas)}
    known = {i.id for i in rubric.items}
    for item_id, item_rating in rating.items.items():
        at: Loc = ("reference_rating", "items", item_id)
        if item_id not in known:
            yield at, f"{item_id!r} is not an item of rubric {rubric.id!r}"
            continue
        if item_id not in in_scope:
            yield (
                at,
                (
                    f"item {item_id!r} does not apply to a {session.phase} session of a "
                    f"{'/'.join(sorted(case.key.areas))} case; remove it"
                ),
            )
            continue
        item = in_scope[item_id]
        if item_rating.not_applicable and not rubric.na_allowed(item):
            yield (*at, "not_applicable"), f"item {item_id!r} may not be marked not applicable"
        score = item_rating.score
        if score is not None and not rubric.scale.min <= score <= rubric.scale.max:
            yield (
                (*at, "score"),
                f"score {score} is off the scale {rubric.scale.min}..{rubric.scale.max}",
            )
        elif score is not None and score > rubric.scale.min and not item_rating.evidence:
            yield (*at, "score"), f"a score above {rubric.scale.min} needs evidence turns"
    for item_id in in_scope:
        if item_id not in rating.items:
            yield (
                ("reference_rating", "items"),
                f"item {item_id!r} applies to this session: score it or mark it not_applicable",
            )
