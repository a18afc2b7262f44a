"""Unicode-aware words of a turn: where a word starts and ends, and where a sentence starts.

Words are runs of letters and digits (any script, accents included) joined by inner hyphens and
apostrophes, so `Zoë`, `Adebayo-Smith` and `O'Neill` are one word each; a trailing possessive
`'s` is not part of the word. Every finding is widened to whole words before it is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

JOINERS = "-'’"
WORD = re.compile(r"[^\W_](?:[^\W_]|[-'’](?=[^\W_]))*")
_POSSESSIVE = re.compile(r"[’'][sS]$")
_SENTENCE_END = re.compile(r"(?:^|[.!?…:;\"“”(]|--|—)\s*$")


@dataclass(frozen=True)
class Word:
    """One word of a text: `text` without a possessive `'s`, `start`/`end` its offsets."""

    text: str
    start: int
    end: int
    initial: bool
    """True when the word opens a sentence, so its capital letter says nothing."""

    @property
    def capitalised(self) -> bool:
        """Upper-case first letter followed by at least one lower-case letter (not an acronym)."""
        return self.text[:1].isupper() and any(c.islower() for c in self.text)

    @property
    def folded(self) -> str:
        return self.text.casefold()


def words(text: str) -> list[Word]:
    """Every word of a text in order, possessives trimmed, sentence openings marked."""
    found = []
    for m in WORD.finditer(text):
        value, end = m.group(), m.end()
        if (p := _POSSESSIVE.search(value)) and len(value) > 2:
            value, end = value[: p.start()], m.start() + p.start()
        initial = bool(_SENTENCE_END.search(text[max(0, m.start() - 4) : m.start()]))
        found.append(Word(value, m.start(), end, initial))
    return found


def widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a span to whole words: never a fragment of a word is left outside it."""
    while start > 0 and _joined(text, start - 1, -1):
        start -= 1
    while end < len(text) and _joined(text, end, 1) and not _possessive_at(text, end):
        end += 1
    return start, end


def _joined(text: str, i: int, step: int) -> bool:
    """True when character i belongs to the word beside it (a letter, digit or inner joiner)."""
    ch = text[i]
    if ch.isalnum():
        return True
    beyond = i + step
    return ch in JOINERS and 0 <= beyond < len(text) and text[beyond].isalnum()


def _possessive_at(text: str, i: int) -> bool:
    """True when a possessive `'s` (and nothing more of the word) starts at i."""
    return (
        text[i] in "'’" and text[i + 1 : i + 2] in ("s", "S") and not text[i + 2 : i + 3].isalnum()
    )
