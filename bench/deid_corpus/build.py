"""Render sources.yaml into session files of several formats and write expected.yaml.

Run from the repository root: `python bench/deid_corpus/build.py`. The build fails when a marked
name, place or organisation also occurs unmarked in the same session, so no planted identifier
is left out of the expected spans by accident.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import docx
import yaml

HERE = Path(__file__).parent
MARK = re.compile(r"\[\[([A-Z]+):([^\]]+)\]\]")
SPREAD = ("NAME", "PLACE", "ORG")
"""Categories whose value must be marked at every occurrence in its session."""


def main() -> int:
    """Write every session file and expected.yaml; report unmarked repeats and exit 1 on any."""
    sources = yaml.safe_load((HERE / "sources.yaml").read_text(encoding="utf-8"))
    expected, problems = {}, []
    (HERE / "sessions").mkdir(exist_ok=True)
    for source in sources:
        turns = [_unmark(text) for text in source["turns"]]
        problems += _unmarked_repeats(source["file"], source["turns"], turns)
        labels = _labels(source, len(turns))
        _write(HERE / "sessions" / source["file"], source, labels, [t for t, _ in turns])
        expected[source["file"]] = {
            "clean": bool(source.get("clean")),
            "turns": [t for t, _ in turns],
            "identifiers": [
                {"turn": n, "category": c, "text": v}
                for n, (_, marks) in enumerate(turns, start=1)
                for c, v in marks
            ],
        }
    for problem in problems:
        print(problem, file=sys.stderr)
    text = yaml.safe_dump(expected, sort_keys=False, allow_unicode=True, width=100)
    (HERE / "expected.yaml").write_text(
        "# Written by build.py from sources.yaml: do not edit by hand.\n" + text, encoding="utf-8"
    )
    return 1 if problems else 0


def _unmark(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The turn's text without marks, and its (category, value) marks in order."""
    return MARK.sub(lambda m: m[2], text), [(m[1], m[2]) for m in MARK.finditer(text)]


def _unmarked_repeats(
    name: str, marked: list[str], turns: list[tuple[str, list[tuple[str, str]]]]
) -> list[str]:
    """Occurrences of a marked name (or one of its words), place or organisation outside marks."""
    words = {
        w
        for _, marks in turns
        for c, v in marks
        if c in SPREAD
        for w in [v, *(v.split() if c == "NAME" else ())]
        if w[:1].isupper() and len(w) > 2
    }
    problems = []
    for n, text in enumerate(marked, start=1):
        outside = MARK.sub(lambda m: " " * len(m[0]), text)
        for w in words:
            if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", outside):
                problems.append(f"{name} turn {n}: '{w}' is not marked")
    return problems


def _labels(source: dict, count: int) -> list[str]:
    """The speaker label of each turn: the given order, else the two labels alternating."""
    labels = source["labels"]
    order = source.get("speakers") or [i % 2 for i in range(count)]
    return [labels[i] for i in order]


def _clock(seconds: float, sep: str) -> str:
    """hh:mm:ss.mmm (or with a comma for SRT)."""
    ms = round(seconds * 1000)
    return (
        f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"
    )


def _times(texts: list[str]) -> list[tuple[float, float]]:
    """Start and end of each turn, at about 2.6 words a second with a short pause between."""
    spans, at = [], 1.2
    for text in texts:
        length = max(1.5, len(text.split()) / 2.6)
        spans.append((at, at + length))
        at += length + 0.7
    return spans


def _write(path: Path, source: dict, labels: list[str], texts: list[str]) -> None:
    """Write one session in the format its file name ends with."""
    times = _times(texts)
    rows = list(zip(labels, texts, times, strict=True))
    if path.suffix == ".vtt":
        cues = [
            f"{i}\n{_clock(a, '.')} --> {_clock(b, '.')}\n{label}: {text}\n"
            for i, (label, text, (a, b)) in enumerate(rows, start=1)
        ]
        path.write_text("WEBVTT\n\n" + "\n".join(cues), encoding="utf-8")
    elif path.suffix == ".srt":
        cues = [
            f"{i}\n{_clock(a, ',')} --> {_clock(b, ',')}\n{label}: {text}\n"
            for i, (label, text, (a, b)) in enumerate(rows, start=1)
        ]
        path.write_text("\n".join(cues), encoding="utf-8")
    elif path.suffix == ".json":
        segments = [
            {"start": round(a, 2), "end": round(b, 2), "text": " " + text, "speaker": label}
            for label, text, (a, b) in rows
        ]
        path.write_text(json.dumps({"segments": segments}, indent=1, ensure_ascii=False) + "\n")
    elif path.suffix == ".docx":
        document = docx.Document()
        document.add_heading(source.get("title", "Transcript"), level=1)
        for label, text, _ in rows:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}:").bold = True
            paragraph.add_run(f" {text}")
        document.core_properties.author = ""
        document.save(path)
    elif source.get("otter"):
        blocks = [
            f"{label}  {int(a) // 60}:{int(a) % 60:02d}\n{text}\n" for label, text, (a, _) in rows
        ]
        path.write_text("\n".join(blocks), encoding="utf-8")
    else:
        path.write_text("".join(f"{label}: {text}\n" for label, text, _ in rows), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
