"""Redaction: accepted findings become numbered placeholders, the same value the same number.

`[NAME 1]` is one person all through the session (`Trevor Ashworth`, later `Trevor` and
`Mr Ashworth`), `[NAME 2]` another; other categories are numbered by value (`[PHONE 1]` for
one number wherever it is said), so a redacted session can still be followed and rated.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from ..importers.common import speakers_of
from ..importers.transcript import ImportedTranscript
from .finding import Finding
from .names import PARTICLES, find_names, name_terms
from .text import words


def redact(
    transcript: ImportedTranscript,
    accepted: Iterable[Finding],
    extra_names: Iterable[str] = (),
) -> ImportedTranscript:
    """Replace accepted findings and every extra name with numbered placeholders; rename
    speakers whose labels hold a name. The input transcript is left unchanged."""
    texts = {t.n: t.text for t in transcript.turns}
    chosen = list(accepted)
    for f in chosen:
        if texts.get(f.turn, "")[f.start : f.end] != f.text:
            raise ValueError(f"finding {f.id} ({f.text!r}) does not match turn {f.turn}")
    terms = name_terms((), extra_names)
    if terms:
        chosen += [
            Finding("NAME", texts[n][a:b], n, a, b, "a name the reviewer listed")
            for n in texts
            for a, b in find_names(texts[n], terms)
        ]
    labels = placeholders(chosen)
    by_turn: dict[int, list[Finding]] = {}
    for f in chosen:
        by_turn.setdefault(f.turn, []).append(f)
    renamed = _generic_labels(transcript)
    turns = [
        replace(
            t,
            speaker=renamed.get(t.speaker, t.speaker),
            text=_apply(t.text, by_turn.get(t.n, []), labels),
        )
        for t in transcript.turns
    ]
    # a title (a heading in the file) may itself name someone: it is not carried over
    return replace(transcript, speakers=speakers_of(turns), turns=turns, title="")


def placeholders(findings: Iterable[Finding]) -> dict[str, str]:
    """Finding id -> its placeholder: one number per person (names) or per value (others)."""
    people: list[set[str]] = []
    keys: dict[str, dict[str, int]] = {}
    labels: dict[str, str] = {}
    for f in sorted(findings, key=lambda f: (f.turn, f.start)):
        if f.category == "NAME":
            number = _person(people, f.text)
        else:
            numbers = keys.setdefault(f.category, {})
            number = numbers.setdefault(_value_key(f), len(numbers) + 1)
        labels[f.id] = f"[{f.category} {number}]"
    return labels


def _person(people: list[set[str]], text: str) -> int:
    """The number of the person a name belongs to, adding a person when it is new.

    A name joins the person whose name shares a word with it (`Trevor`, `Mr Ashworth` and
    `Trevor Ashworth` are one person); a name matching two people goes to the latest.
    """
    parts = {w.folded for w in words(text) if w.folded not in PARTICLES} or {text.casefold()}
    for i in range(len(people) - 1, -1, -1):
        if people[i] & parts:
            people[i] |= parts
            return i + 1
    people.append(set(parts))
    return len(people)


def _value_key(f: Finding) -> str:
    """What makes two findings the same value: digits for numbers, else letters and digits."""
    if f.category in ("PHONE", "FAX", "ID", "SSN") and any(c.isdigit() for c in f.text):
        return re.sub(r"\D", "", f.text)
    return re.sub(r"\W", "", f.text.casefold())


def _apply(text: str, findings: list[Finding], labels: dict[str, str]) -> str:
    """Replace spans in one pass; overlapping spans merge under the longer one's placeholder."""
    merged: list[tuple[int, int, str, int]] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if merged and f.start < merged[-1][1]:
            start, end, label, length = merged[-1]
            if f.end - f.start > length:
                label, length = labels[f.id], f.end - f.start
            merged[-1] = (start, max(end, f.end), label, length)
        else:
            merged.append((f.start, f.end, labels[f.id], f.end - f.start))
    pieces, done = [], 0
    for start, end, label, _ in merged:
        pieces += [text[done:start], label]
        done = end
    return "".join([*pieces, text[done:]])


def _generic_labels(transcript: ImportedTranscript) -> dict[str, str]:
    """A role-based label ('Therapist', 'Client 2', 'Speaker 1') for each label holding a name."""
    words_for = {"therapist": "Therapist", "client": "Client", "other": "Other"}
    roles = {t.speaker: t.role for t in transcript.turns}
    used = {s for s in transcript.speakers if not name_terms([s])}
    named = [s for s in transcript.speakers if s not in used]
    per_word = Counter(words_for.get(roles.get(s, "unknown"), "Speaker") for s in named)
    renamed: dict[str, str] = {}
    for speaker in named:
        word = words_for.get(roles.get(speaker, "unknown"), "Speaker")
        label, k = (word if per_word[word] == 1 and word != "Speaker" else f"{word} 1"), 1
        while label in used:
            k += 1
            label = f"{word} {k}"
        used.add(label)
        renamed[speaker] = label
    return renamed
