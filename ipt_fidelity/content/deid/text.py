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
_OPENERS = frozenset('.!?…:;"“”(—')


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
        return self.text[:1].isupper() and not self.text.isupper()

    @property
    def folded(self) -> str:
        return self.text.casefold()


def words(text: str) -> list[Word]:
    """Every word of a text in order, possessives trimmed, sentence openings marked."""
    found = []
    for m in WORD.finditer(text):
        value, start, end = m.group(), m.start(), m.end()
        if (p := _POSSESSIVE.search(value)) and len(value) > 2:
            value, end = value[: p.start()], start + p.start()
        found.append(Word(value, start, end, _opens_sentence(text, start)))
    return found


def _opens_sentence(text: str, start: int) -> bool:
    """True at the start of the text or after sentence punctuation (spaces between)."""
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in _OPENERS or text[max(0, i - 1) : i + 1] == "--"


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
