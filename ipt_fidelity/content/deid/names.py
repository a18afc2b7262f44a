"""Person names: from speaker labels and the reviewer's list, and by evidence anywhere in the talk.

Evidence for a capitalised word (machine transcripts capitalise names and sentence openings):
- a cue before it: a title (`Dr`, `Mrs`, `Pastor`), a relation (`my cousin`, `her husband`,
  `Grandad`), naming (`called`, `named`, `her name's`), or an aside after a person word
  (`this guy on my floor, Dev, ...`);
- the census name lists, weighed against how common the word is in English (`nameness`), so
  `Harold` counts and `Will`, `May` or `Hope` do not;
- rarity: a capitalised word that English text almost never uses (wordfreq Zipf below 3), which
  catches names from every culture the census lists miss;
- a neighbour: a capitalised word next to a name is part of it (`Trevor Ashworth`).
A word found as a name once is a name at every capitalised occurrence in the session. Runs of
capitalised everyday words (`Grey's Anatomy`, `Love Actually`) are titles, not names.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources

from ..importers.common import CLIENT_LABELS, THERAPIST_LABELS
from .finding import Hit
from .lexicon import (
    EVERYDAY_NAMES,
    KIN,
    MONTHS,
    NOT_NAMES,
    TITLES,
    WEEKDAYS,
    regions,
    wordset,
    zipf,
)
from .text import Word, words

RARE = 3.3
"""Zipf below which a capitalised word is rare enough to be taken for a name (about twice in a
million words of English: everyday words are far more common, most names far rarer)."""
FIRST_NAMENESS, SURNAME_NAMENESS = 1.2, 1.0
"""log10(share of people with the name) - log10(frequency of the word): above these, a name."""

SAME_NAME = "the same name is flagged elsewhere in this session"
RELATIONS = KIN | wordset(
    """friend mate pal buddy flatmate roommate housemate neighbour neighbor colleague coworker boss
    manager supervisor teacher tutor counsellor counselor therapist psychiatrist gp doctor
    lawyer solicitor attorney landlord landlady midwife carer caseworker worker officer vicar
    priest pastor nurse consultant godmother godfather granddaughter grandson stepson
    stepdaughter kids kid child children twin twins bestie"""
)
PERSON_NOUNS = RELATIONS | wordset(
    """guy man woman lady girl boy bloke chap fella person someone somebody kid"""
)
ABBREVIATED = wordset("dr mr mrs ms mx prof rev pc dc sgt st")
_AFTER_TITLE = {True: r"\.?\s+", False: r"\s+"}
DETERMINERS = wordset("the a an my his her our their your this that these those")
PARTICLES = wordset("de del della da di du van von der den le la bin ibn al el ter ten")
_FIRM_CUE = re.compile(
    r"(?i:\b(?:solicitors?|firm|company|agency|agents?|lawyers?|accountants?|practice|partners"
    r"|chambers|surveyors|architects|builders)\b(?:\s+\w+){0,2}\s*,?\s*$)"
)
_NAMING = re.compile(r"(?:\bcalled|\bnamed|\bname\s+is|\bname[’']s|\bthis\s+is)\s*,?\s*$")
_APPOSITION = re.compile(r",\s*$")
_GENERIC_LABELS = (
    THERAPIST_LABELS
    | CLIENT_LABELS
    | TITLES
    | KIN
    | {"speaker", "unknown", "interpreter", "participant", "host", "guest", "other", "facilitator"}
    | {"co-facilitator", "cotherapist", "co-therapist", "group", "member"}
)
_PRONOUN_NEXT = wordset(
    """i you we he she they it this that there the a an your my our their his her not"""
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“‘'(]\s*)$")
_NEXT_WORD = re.compile(r"\s*(\w+)")


# ---------------------------------------------------------------- listed names


def name_terms(labels: Iterable[str], names: Iterable[str] = ()) -> list[str]:
    """Full names and their parts from speaker labels and a user list, generic words left out."""
    terms: dict[str, None] = {}
    for raw in [*labels, *names]:
        parts = [
            w
            for w in re.sub(r"\([^)]*\)", " ", raw).replace(".", " ").split()
            if re.fullmatch(r"[^\W\d_](?:[^\W\d_]|['’\-])*", w)
            and w.casefold() not in _GENERIC_LABELS
        ]
        if len(parts) > 1:
            terms[" ".join(parts)] = None
        terms.update(dict.fromkeys(w for w in parts if len(w) > 1))
    return sorted(terms, key=len, reverse=True)


def find_names(text: str, terms: Iterable[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of every listed term as a whole word in any case ('Sarah's' too).

    A term that is also an everyday word ('Will', 'May') matches only capitalised, and not
    opening a sentence before a pronoun ('Will you ...', 'May I ...').
    """
    terms = list(terms)
    if not terms:
        return
    alternation = "|".join(re.escape(t) for t in terms)
    for m in re.finditer(rf"(?<![\w'’\-])(?:{alternation})(?![\w\-])", text, re.I):
        if _plausible(text, m.start(), m.group()):
            yield m.span()


def _plausible(text: str, start: int, word: str) -> bool:
    """False for an everyday-word name used as a word: lower case, or 'Will you' at a start."""
    if word.casefold() not in EVERYDAY_NAMES:
        return True
    if not word[0].isupper():
        return False
    if not _SENTENCE_START.search(text[max(0, start - 12) : start]):
        return True
    following = _NEXT_WORD.match(text, start + len(word))
    return not following or following[1].casefold() not in _PRONOUN_NEXT


# ---------------------------------------------------------------- names by evidence


def evidence_names(text: str, found: list[Word] | None = None) -> Iterator[Hit]:
    """Names in one turn's text found by cue, lexicon, rarity and neighbourhood."""
    ws = found if found is not None else words(text)
    reasons: dict[int, str] = {}
    titled = _title_runs(ws, text)
    for i, w in enumerate(ws):
        if not _candidate(w):
            continue
        cue = _cue(ws, i, text) if not _everyday(w) else None
        reason = cue or (None if i in titled else _lexical(w, _after_determiner(ws, i, text)))
        if reason:
            reasons[i] = reason
    for i, w in enumerate(ws):  # neighbours of a name are part of it
        if i in reasons or not _candidate(w) or i in titled:
            continue
        for j in (i - 1, i + 1):
            if j in reasons and _adjacent(ws, min(i, j), text) and not _is_plain(ws[i]):
                reasons[i] = "a capitalised word next to a name"
                break
    yield from _spans(ws, reasons, text)
    yield from _firms(ws, reasons, text)


def _firms(ws: list[Word], reasons: dict[int, str], text: str) -> Iterator[Hit]:
    """'Fairweather and Grout', 'Smith & Jones': two names joined by 'and' after a word for a
    firm ('solicitors', 'agency'), neither a first name."""
    for i in reasons:
        j = i + 2
        head = text[max(0, ws[i].start - 30) : ws[i].start]
        if (
            j in reasons
            and _FIRM_CUE.search(head)
            and "first name" not in reasons[i]
            and "first name" not in reasons[j]
            and text[ws[i].end : ws[j].start].strip() in ("and", "&")
        ):
            yield "ORG", ws[i].start, ws[j].end, "two surnames joined by 'and' (a firm's name)"


def propagate(text: str, names: set[str], found: list[Word] | None = None) -> Iterator[Hit]:
    """Every occurrence of a word already flagged as a name in this session."""
    for w in found if found is not None else words(text):
        if w.folded in names and (w.text[:1].isupper() or zipf(w.text) < RARE):
            yield "NAME", w.start, w.end, SAME_NAME


def _candidate(w: Word) -> bool:
    """A capitalised word that is not a title, relation, date word or nationality."""
    f = w.folded
    return (
        w.capitalised
        and len(w.text) > 1
        and f not in NOT_NAMES
        and f not in TITLES
        and f not in KIN
        and f not in MONTHS
        and f not in WEEKDAYS
        and f.removesuffix("s") not in WEEKDAYS
        and f not in regions()
        and f not in EVERYDAY_BRANDS
    )


def _cue(ws: list[Word], i: int, text: str) -> str | None:
    """The words before word i that make it a name: a title, a relation, naming, an aside."""
    before = text[ws[i - 1].end : ws[i].start] if i else ""
    if (
        i
        and ws[i - 1].folded in TITLES
        and re.fullmatch(_AFTER_TITLE[ws[i - 1].folded in ABBREVIATED], before)
    ):
        return f"after the title '{ws[i - 1].text}'"
    if (
        i
        and ws[i - 1].folded in PERSON_NOUNS
        and (ws[i - 1].text.islower() or ws[i - 1].folded in KIN)
        and re.fullmatch(r"\s*,?\s+", before)
    ):
        return f"after '{ws[i - 1].text}'"
    head = text[max(0, ws[i].start - 16) : ws[i].start]
    if _NAMING.search(head):
        return "after a naming word ('called', 'named', 'name's')"
    if i and _APPOSITION.search(before) and _followed_by_pause(ws, i, text):
        window = ws[max(0, i - 6) : i]
        if any(p.folded in PERSON_NOUNS for p in window):
            return "set off by commas after a word for a person"
    return None


def _followed_by_pause(ws: list[Word], i: int, text: str) -> bool:
    """True when a comma or full stop follows word i (or the next word, for a full name)."""
    for j in (i, i + 1):
        if j < len(ws):
            rest = text[ws[j].end : ws[j].end + 2]
            if rest[:1] in ",.;" or rest.startswith("’s") or rest.startswith("'s"):
                return True
    return False


def _lexical(w: Word, after_determiner: bool = False) -> str | None:
    """A reason from the census lists or rarity, or None. A sentence opening needs a very
    common first name or rarity; after 'the', 'my', 'an old' a rare word is a thing."""
    parts = [p for p in re.split(r"[-'’]", w.text) if p]
    first = max((_nameness(p, first_shares()) for p in parts), default=-9)
    last = max((_nameness(p, surname_shares()) for p in parts), default=-9)
    rarity = min(zipf(p) for p in parts) if parts else 9
    accented = any(not c.isascii() for c in w.text)
    if first >= FIRST_NAMENESS and not (w.initial and first < 2 * FIRST_NAMENESS):
        return "a first name in the census name list"
    if after_determiner or _derived(w.text):
        return None
    if w.initial:
        return (
            f"a word rare in English (Zipf {rarity:.1f}) opening a sentence"
            if rarity < RARE
            else None
        )
    if last >= SURNAME_NAMENESS:
        return "a surname in the census name list"
    if rarity < RARE:
        accents = ", with accents" if accented else ""
        return f"a capitalised word that is rare in English (Zipf {rarity:.1f}{accents})"
    return None


def _everyday(w: Word) -> bool:
    """A word so common in English (Zipf 5 and up) that only a first name is a name there."""
    return zipf(w.text) >= 5.0 and _nameness(w.text, first_shares()) < FIRST_NAMENESS


def _derived(word: str) -> bool:
    """An everyday word with an English ending ('Weirdly', 'Calmer', 'Wednesdays') or a
    contraction ('Couldn't'), no name."""
    if re.search(r"[’'](?:t|ll|ve|re|d|m)$", word, re.I):
        return True
    for ending in ("ly", "er", "est", "ing", "ed", "s", "ness", "ful"):
        stem = word[: -len(ending)]
        if (
            word.casefold().endswith(ending)
            and len(stem) > 2
            and (zipf(stem) >= 3.5 or zipf(stem + "e") >= 3.5 or stem.casefold() in WEEKDAYS)
        ):
            return True
    return False


def _after_determiner(ws: list[Word], i: int, text: str) -> bool:
    """True after 'the', 'my', 'an old', 'her red': what follows is a thing, not a person."""
    for back in (1, 2):
        j = i - back
        if j < 0 or not ws[j].text.islower() or text[ws[j].end : ws[j + 1].start].strip():
            return False
        if ws[j].folded in DETERMINERS:
            return True
    return False


def _is_plain(w: Word) -> bool:
    """An everyday capitalised word that is no name by itself (common, not in the name lists)."""
    return _lexical(Word(w.text, w.start, w.end, False)) is None


def _title_runs(ws: list[Word], text: str) -> set[int]:
    """Indices of words in runs of capitalised words that hold an everyday word: titles."""
    inside: set[int] = set()
    run: list[int] = []
    for i in range(len(ws) + 1):
        if i < len(ws) and ws[i].capitalised and (not run or _adjacent(ws, i - 1, text)):
            run.append(i)
            continue
        named = [j for j in run if _candidate(ws[j])]
        if len(named) >= 2 and any(_is_plain(ws[j]) and not _cue(ws, j, text) for j in named):
            plain_first = run[0] if ws[run[0]].initial else None
            inside.update(j for j in named if j != plain_first or _is_plain(ws[j]))
        run = [i] if i < len(ws) and ws[i].capitalised else []
    return inside


def _adjacent(ws: list[Word], i: int, text: str) -> bool:
    """True when only spaces (or a particle such as 'de') separate word i from word i + 1."""
    return i + 1 < len(ws) and text[ws[i].end : ws[i + 1].start].strip() in ("", "’s", "'s")


def _spans(ws: list[Word], reasons: dict[int, str], text: str) -> Iterator[Hit]:
    """Merge neighbouring name words (and particles between them) into one span per name."""
    order = sorted(reasons)
    k = 0
    while k < len(order):
        i = j = first = order[k]
        while k + 1 < len(order) and (
            (order[k + 1] == j + 1 and _adjacent(ws, j, text))
            or (
                order[k + 1] == j + 2
                and ws[j + 1].folded in PARTICLES
                and _adjacent(ws, j, text)
                and _adjacent(ws, j + 1, text)
            )
        ):
            k += 1
            j = order[k]
        while i > 0 and ws[i - 1].folded in PARTICLES and ws[i - 1].text.islower():
            i -= 1
        yield "NAME", ws[i].start, ws[j].end, reasons[first]
        k += 1


def _nameness(word: str, shares: dict[str, float]) -> float:
    """How much more a word is used as a name than in text; -9 when it is no listed name."""
    share = shares.get(word.casefold())
    if share is None:
        return -9.0
    z = zipf(word)
    return math.log10(share) - (z - 9 if z > 0 else -8)


@cache
def first_shares() -> dict[str, float]:
    """Share of US people with each first name (census 1990, men and women)."""
    shares = _census("dist.male.first")
    for name, share in _census("dist.female.first").items():
        shares[name] = max(share, shares.get(name, 0.0))
    return shares


@cache
def surname_shares() -> dict[str, float]:
    """Share of US people with each surname (census 1990)."""
    return _census("dist.all.last")


def _census(file: str) -> dict[str, float]:
    """name -> share of people (the census file's percentage / 100, at least 5e-6)."""
    text = resources.files("names").joinpath(file).read_text(encoding="ascii")
    shares: dict[str, float] = {}
    for line in text.splitlines():
        if parts := line.split():
            shares[parts[0].casefold()] = max(float(parts[1]), 0.0005) / 100
    return shares


EVERYDAY_BRANDS = wordset(
    """facebook instagram insta twitter tiktok snapchat whatsapp youtube netflix spotify amazon
    google zoom teams skype iphone android uber deliveroo ebay tinder bumble hinge linkedin
    reddit discord telegram xbox playstation nintendo fitbit kindle alexa siri disney hulu
    prozac zoloft lexapro celexa paxil effexor cymbalta wellbutrin seroquel abilify xanax valium
    ativan ritalin adderall sertraline fluoxetine citalopram escitalopram mirtazapine
    venlafaxine duloxetine quetiapine lithium lamotrigine diazepam lorazepam zopiclone
    propranolol bupropion trazodone amitriptyline olanzapine aripiprazole methylphenidate
    paroxetine phq gad"""
)
"""Apps, services and psychiatric medicines that sessions mention by name: not people."""
