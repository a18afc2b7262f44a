"""The content library: every rubric, case and session under a content root, validated together.

`load_library` never raises on bad content; it keeps what loaded and lists each problem as
`path:line:col: message`, so one broken file does not hide the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..config import content_root
from .checks import Finding, check_case, check_rubric, check_session, check_session_against
from .models import Case, Item, Rubric, Session
from .yamlsource import ContentError, Document, Problem, read_document

KINDS: dict[str, type[BaseModel]] = {"rubric": Rubric, "case": Case, "session": Session}


@dataclass
class Library:
    """Validated content, keyed by id, with the problems found while loading it."""

    rubrics: dict[str, Rubric] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    paths: dict[tuple[str, str], str] = field(default_factory=dict)

    def case_of(self, session: Session) -> Case:
        return self.cases[session.case]

    def rubric_for(self, session: Session) -> Rubric | None:
        """The rubric a session is rated with: the one its case names (one rule, everywhere)."""
        case = self.cases.get(session.case)
        return self.rubrics.get(case.rubric) if case else None

    def applicable_items(self, session_id: str, rubric_id: str) -> list[Item]:
        """The rubric items in scope for the session's phase and its case's problem areas."""
        session = self.sessions[session_id]
        return self.rubrics[rubric_id].applicable_items(
            session.phase, self.case_of(session).key.areas
        )


def kind_of(path: Path, data: dict[str, Any]) -> str | None:
    """Which kind of content file this is, by folder first and by its keys otherwise."""
    parts = path.parts
    if "rubrics" in parts[:-1]:
        return "rubric"
    if "sessions" in parts[:-1]:
        return "session"
    if path.name == "case.yaml":
        return "case"
    for kind, marker in (("rubric", "sections"), ("case", "vignette"), ("session", "turns")):
        if marker in data:
            return kind
    return None


def content_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every YAML file at or below the given paths, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"})
        else:
            yield path


def parse(document: Document, kind: str) -> tuple[BaseModel | None, list[Problem]]:
    """Validate a document as `kind`; map every error to the line it concerns."""
    try:
        model = KINDS[kind].model_validate(document.data)
    except ValidationError as exc:
        return None, [document.problem(e["loc"], _message(e)) for e in exc.errors()]
    checker = {"rubric": check_rubric, "case": check_case, "session": check_session}[kind]
    return model, [document.problem(loc, msg) for loc, msg in checker(model)]


def _message(error: dict[str, Any]) -> str:
    """A pydantic error as one line a content author understands."""
    field_name = ".".join(str(p) for p in error["loc"] if p != "[key]") or "document"
    kind = error["type"]
    if kind == "missing":
        return f"{field_name}: required field is missing"
    if kind == "extra_forbidden":
        return f"{field_name}: unknown field (check the spelling; see the schema)"
    msg = error["msg"].removeprefix("Value error, ")
    return f"{field_name}: {msg}"


def load_library(paths: Iterable[Path] | None = None, root: Path | None = None) -> Library:
    """Load and cross-check the content at `paths` (default: the content root's two folders)."""
    base = root or content_root()
    targets = list(paths) if paths is not None else [base / "rubrics", base / "vignettes"]
    library = Library()
    documents: dict[tuple[str, str], Document] = {}
    broken: set[tuple[str, str]] = set()
    for path in content_files(targets):
        shown = _display(path)
        try:
            document = read_document(path, shown)
        except ContentError as exc:
            library.problems.extend(exc.problems)
            continue
        kind = kind_of(path, document.data)
        if kind is None:
            library.problems.append(
                Problem(shown, 1, 1, "cannot tell whether this is a rubric, case or session")
            )
            continue
        model, problems = parse(document, kind)
        library.problems.extend(problems)
        if model is not None:
            _add(library, documents, kind, model, document)
        else:
            broken.add((kind, str(document.data.get("id"))))
    _cross_check(library, documents, broken)
    return library


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _add(
    library: Library,
    documents: dict[tuple[str, str], Document],
    kind: str,
    model: BaseModel,
    document: Document,
) -> None:
    table: dict[str, Any] = getattr(library, f"{kind}s")
    model_id: str = model.id  # type: ignore[attr-defined]
    if model_id in table:
        first = library.paths[(kind, model_id)]
        library.problems.append(
            document.problem(("id",), f"{kind} id {model_id!r} is also used by {first}")
        )
        return
    table[model_id] = model
    documents[(kind, model_id)] = document
    library.paths[(kind, model_id)] = document.path


def _cross_check(
    library: Library,
    documents: dict[tuple[str, str], Document],
    broken: set[tuple[str, str]],
) -> None:
    """Check links between files; a link to a file that failed to load was reported already."""
    for case in library.cases.values():
        document = documents[("case", case.id)]
        for loc, message in _case_links(library, case, broken):
            library.problems.append(document.problem(loc, message))
    for session in library.sessions.values():
        document = documents[("session", session.id)]
        for loc, message in _session_links(library, session, broken):
            library.problems.append(document.problem(loc, message))


def _session_links(
    library: Library, session: Session, broken: set[tuple[str, str]]
) -> Iterator[Finding]:
    case = library.cases.get(session.case)
    if case is None:
        if ("case", session.case) not in broken:
            yield ("case",), f"no case {session.case!r} in the library"
        return
    rating = session.reference_rating
    if rating is None:
        return
    rubric = library.rubrics.get(rating.rubric)
    if rubric is None:
        if ("rubric", rating.rubric) not in broken:
            yield ("reference_rating", "rubric"), f"no rubric {rating.rubric!r} in the library"
        return
    if rating.rubric != case.rubric:
        yield (
            ("reference_rating", "rubric"),
            f"case {case.id!r} is rated with rubric {case.rubric!r}, not {rating.rubric!r}",
        )
        return
    yield from check_session_against(session, case, rubric)


def _case_links(library: Library, case: Case, broken: set[tuple[str, str]]) -> Iterator[Finding]:
    rubric = library.rubrics.get(case.rubric)
    if rubric is None:
        if ("rubric", case.rubric) not in broken:
            yield ("rubric",), f"no rubric {case.rubric!r} in the library"
    elif rubric.target != "session":
        yield ("rubric",), f"rubric {case.rubric!r} rates {rubric.target}s, not sessions"


@lru_cache(maxsize=1)
def default_library() -> Library:
    """The shipped content, loaded once per process."""
    return load_library()
