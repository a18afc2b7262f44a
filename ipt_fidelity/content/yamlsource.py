"""Safe YAML reading that remembers where every value came from.

Hand-written content must fail with `path:line:col: message`, never a traceback, and never hang:
files are size-capped, must be UTF-8 text, must hold one mapping, and may not use aliases (the
alias-bomb vector) or repeat a key (which YAML would silently overwrite).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .inputfiles import FileRefused, read_capped

MAX_BYTES = 2_000_000
MAX_NODES = 200_000
MAX_DEPTH = 40

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml is absent on some platforms
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, located for an editor."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class ContentError(Exception):
    """Raised with every problem found in one or more files."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class Within(str):
    """The last step of a location: a piece of text inside the value, to point at its own line."""


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: its plain data, the node tree that locates each value, and its text."""

    path: str
    data: dict[str, Any]
    root: yaml.MappingNode
    text: str = ""

    def locate(self, loc: Sequence[str | int]) -> tuple[int, int]:
        """Line and column (1-based) of the deepest node on `loc` that exists in the file.

        A final `Within(piece)` step points at the first line of that node's source holding
        `piece` (a link in a long Markdown body, say), else at the node itself.
        """
        node: yaml.Node = self.root
        for part in loc:
            if isinstance(part, Within):
                return self._find(node, part)
            child = _child(node, part)
            if child is None:
                break
            node = child
        mark = node.start_mark
        return mark.line + 1, mark.column + 1

    def problem(self, loc: Sequence[str | int], message: str) -> Problem:
        line, col = self.locate(loc)
        return Problem(self.path, line, col, message)

    def _find(self, node: yaml.Node, piece: str) -> tuple[int, int]:
        lines = self.text.splitlines()[node.start_mark.line : node.end_mark.line + 1]
        for offset, line in enumerate(lines):
            if piece in line:
                return node.start_mark.line + offset + 1, line.index(piece) + 1
        return node.start_mark.line + 1, node.start_mark.column + 1


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    """The node reached from `node` by one step (a key or an index) of a location path."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if str(key.value) == str(part):
                return value
    if (
        isinstance(node, yaml.SequenceNode)
        and isinstance(part, int)
        and 0 <= part < len(node.value)
    ):
        return node.value[part]
    return None


def read_document(path: Path | str, display: str | None = None) -> Document:
    """Read one content file, refusing anything unsafe or malformed with a located message."""
    shown = display or str(path)
    raw = _read_bytes(Path(path), shown)
    text = _decode(raw, shown)
    root = _compose(text, shown)
    _check_tree(root, shown)
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ContentError([_yaml_problem(exc, shown)]) from None
    return Document(shown, data, root, text)


def _read_bytes(path: Path, shown: str) -> bytes:
    """At most MAX_BYTES + 1 bytes are read, so a device or a huge file never fills memory."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ContentError([Problem(shown, 1, 1, f"cannot read file: {exc.strerror}")]) from None
    if size > MAX_BYTES:
        raise ContentError(
            [Problem(shown, 1, 1, f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")]
        )
    try:
        return read_capped(path, MAX_BYTES)
    except FileRefused as exc:
        message = str(exc).replace(f"cannot read {path}:", "cannot read file:", 1)
        message = message.replace(f"{path} is a", "a", 1)
        message = message.replace(f"{path} ", "file ", 1)
        raise ContentError([Problem(shown, 1, 1, message)]) from None


def _decode(raw: bytes, shown: str) -> str:
    if not raw.strip():
        raise ContentError([Problem(shown, 1, 1, "file is empty")])
    if b"\x00" in raw[:8192]:
        raise ContentError([Problem(shown, 1, 1, "binary file: expected UTF-8 YAML text")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(
            [Problem(shown, line, 1, "not UTF-8 text: save the file as UTF-8")]
        ) from None


def _compose(text: str, shown: str) -> yaml.MappingNode:
    try:
        _refuse_aliases(text, shown)
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.YAMLError as exc:
        raise ContentError([_yaml_problem(exc, shown)]) from None
    if len(nodes) != 1:
        found = "no document" if not nodes else f"{len(nodes)} documents"
        raise ContentError([Problem(shown, 1, 1, f"expected one YAML document, found {found}")])
    root = nodes[0]
    if not isinstance(root, yaml.MappingNode):
        mark = root.start_mark
        raise ContentError(
            [Problem(shown, mark.line + 1, mark.column + 1, "expected a mapping of keys to values")]
        )
    return root


def _yaml_problem(exc: yaml.YAMLError, shown: str) -> Problem:
    """A PyYAML error as one located line."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(filter(None, [exc.context, exc.problem]))
        return Problem(shown, line, col, f"YAML syntax error: {what}")
    return Problem(shown, 1, 1, f"YAML error: {exc}")


def _refuse_aliases(text: str, shown: str) -> None:
    """Aliases are never needed in content and are how alias bombs explode: refuse the first."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            message = f"aliases (*{event.anchor}) are not allowed; write the value out"
            raise ContentError([Problem(shown, mark.line + 1, mark.column + 1, message)])


def _check_tree(root: yaml.Node, shown: str) -> None:
    """Refuse duplicate keys and absurd sizes and depths before building Python objects."""
    problems: list[Problem] = []
    count = 0
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            mark = node.start_mark
            limit = "nodes" if count > MAX_NODES else "levels of nesting"
            problems.append(Problem(shown, mark.line + 1, mark.column + 1, f"too many {limit}"))
            break
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, yaml.Node] = {}
            for key, value in node.value:
                name = str(key.value)
                if name in keys:
                    first = keys[name].start_mark.line + 1
                    problems.append(
                        Problem(
                            shown,
                            key.start_mark.line + 1,
                            key.start_mark.column + 1,
                            f"duplicate key {name!r} (first at line {first})",
                        )
                    )
                keys[name] = key
                stack.append((value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
    if problems:
        raise ContentError(problems)
