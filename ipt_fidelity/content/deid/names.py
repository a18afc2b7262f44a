"""Name detection: names from speaker labels and the reviewer's list, and 'Dr. X'-style titles.

Names match as whole words in any case (so possessives like "Sarah's" match too), except names
that are also everyday words ("Will", "May", "Hope"): those match only capitalised, and not as
the first word of a sentence when a pronoun follows ("Will you ...", "May I ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..importers.common import CLIENT_LABELS, THERAPIST_LABELS

_TITLES = """dr mr mrs ms mx miss prof professor doctor nurse aunt auntie uncle grandma grandpa nana
mum mom dad father mother sister brother"""
_GENERIC = (
    THERAPIST_LABELS
    | CLIENT_LABELS
    | frozenset(_TITLES.split())
    | {"speaker", "unknown", "interpreter", "participant", "host", "guest", "other"}
)
_COMMON_WORD_NAMES = """will may june april august grace hope faith joy mark rose bill art pat
sue frank dawn ray guy jack summer autumn amber ruby crystal lily daisy iris violet jean gene rob
don ken max sandy sunny chase hunter wade drew grant lance miles norm carol holly ivy pearl penny
sky harmony destiny major king young white black brown green long little price rich hall wood
bell stone baker cook christian bishop page brook glen heath dale cliff"""
_COMMON_WORDS = frozenset(_COMMON_WORD_NAMES.split())
_PRONOUNS = "i you we he she they it this that there the a an your my our their his her not"
_FOLLOWERS = frozenset(_PRONOUNS.split())
_NEXT_WORD = re.compile(r"\s*(\w+)")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|[\"“‘'(]\s*)$")
_TITLED = re.compile(
    r"\b(?:Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Professor|Doctor|Nurse|Aunt|Auntie|Uncle|Grandma|Grandpa"
    r"|Nana)\.?\s+(?P<v>[A-Z][a-z'’\-]+(?:\s+[A-Z][a-z'’\-]+)?)"
)


def name_terms(labels: Iterable[str], names: Iterable[str] = ()) -> list[str]:
    """Full names and their parts from speaker labels and a user list, generic words left out."""
    terms: dict[str, None] = {}
    for raw in [*labels, *names]:
        words = [
            w
            for w in re.sub(r"\([^)]*\)", " ", raw).replace(".", " ").split()
            if re.fullmatch(r"[^\W\d_](?:[^\W\d_]|['’\-])*", w) and w.casefold() not in _GENERIC
        ]
        if len(words) > 1:
            terms[" ".join(words)] = None
        terms.update(dict.fromkeys(w for w in words if len(w) > 1))
    return sorted(terms, key=len, reverse=True)


def find_names(text: str, terms: Iterable[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of every name: listed terms as whole words, and names after a title."""
    terms = list(terms)
    if terms:
        alternation = "|".join(re.escape(t) for t in terms)
        for m in re.finditer(rf"(?<![\w'’\-])(?:{alternation})(?![\w\-])", text, re.I):
            if _plausible(text, m.start(), m.group()):
                yield m.span()
    for m in _TITLED.finditer(text):
        yield m.span("v")


def _plausible(text: str, start: int, word: str) -> bool:
    """False for an everyday-word name used as a word: lower case, or 'Will you' at a start."""
    if word.casefold() not in _COMMON_WORDS:
        return True
    if not word[0].isupper():
        return False
    if not _SENTENCE_START.search(text[max(0, start - 12) : start]):  # a window: no O(n²)
        return True
    following = _NEXT_WORD.match(text, start + len(word))
    return not following or following[1].casefold() not in _FOLLOWERS
