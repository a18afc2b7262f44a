"""Places below state level and organisations: towns, streets, landmarks, hospitals, employers.

- towns and cities from the GeoNames gazetteer (a name that is also an everyday word, such as
  `Reading` or `Bath`, only after `in`, `from`, `to`, `near`...), and any capitalised name after
  `lives in`, `moved to`, `grew up in`...;
- streets (`Wakefield Road`, `2214 West 71st Street`, `Flat 4, 29 Gorsey Bank Road`) and
  landmarks (`the Erasmus bridge`);
- organisations by their kind word (`... Hospital`, `... Surgery`, `... Middle School`,
  `University of ...`, `... State`) and employers and schools after `works at`, `drives for`,
  `studying at`.
"""

from __future__ import annotations

import itertools

import regex

from .finding import Hit
from .lexicon import KIN, MONTHS, NOT_NAMES, TITLES, WEEKDAYS, places, regions, wordset, zipf
from .names import EVERYDAY_BRANDS
from .text import Word

COMMON = 4.0
"""Zipf from which a town's name is an everyday word and needs a place word before it."""

ORG_KINDS = wordset(
    """hospital hospitals infirmary clinic clinics surgery practice hospice trust school schools
    academy college university collegiate nursery church chapel cathedral mosque temple
    synagogue gurdwara baptist methodist council court bank ltd limited inc llc plc group
    company corporation corp services logistics solutions systems consulting holdings industries
    enterprises technologies works club society association foundation institute centre center
    high pharmacy partners associates solicitors prison library hotel ward unit szpital
    krankenhaus hôpital hopital ziekenhuis sjukhus ospedale hospitalet"""
)
"""Words that end (or, before `of`, start) an organisation's name."""
ORG_SECOND = wordset(
    """high middle primary secondary elementary junior medical health care community"""
)
"""Words that may come before a kind word inside a name (`... Middle School`)."""
STREET_KINDS = wordset(
    """street st road rd avenue ave lane ln drive dr close crescent way place pl court ct terrace
    grove gardens mews row boulevard blvd parkway pkwy highway hwy walk rise view square hill"""
)
STREET_ALONE = wordset(
    """street road avenue lane close crescent drive terrace boulevard gardens mews grove"""
)
"""Street kinds that make a street without a house number (`on Wakefield Road`)."""
LANDMARKS = wordset(
    """bridge park square station estate market common beach pier castle tower heath green quay
    marina stadium arena mall"""
)
_JOINING = wordset("of and the de la du")
DIRECTIONS = wordset("north south east west central upper lower")
PLACE_WORDS = wordset("in from to near at outside around into towards toward of")
_MOVED = regex.compile(
    r"(?:\b(?:live|lives|lived|living|moved|move|moving|grew\s+up|born|raised|based|stay|stays"
    r"|staying|stayed|settled|relocated|flew|flying|drove|driving)\s+(?:back\s+)?"
    r"(?:in|to|at|near|from|outside|into)|\bfrom|\bin)\s+$"
)
_WORKS = regex.compile(
    r"(?:\b(?:work|works|worked|working|job|jobs|shift|shifts|employed|volunteer|volunteers"
    r"|volunteering|placement|nursing|studying|study|studied|studies|student|drive|drives"
    r"|drove|driving|teaching|teaches|taught|together|doubles|nights|days)(?:\s+\w+)?"
    r"\s+(?:at|for|with|in)\s+(?:the\s+)?|\bI'm\s+at\s+)$"
)
_HOUSE = regex.compile(
    r"(?:(?:Flat|Apartment|Apt|Unit|Suite)\.?\s+\d+\w?,?\s+)?\b\d{1,5}[A-Za-z]?,?\s+$"
)
_UNIT_AFTER = regex.compile(r",?\s+(?:Apt|Apartment|Unit|Suite|Flat|#)\.?\s*[\w-]+")


def find_places(text: str, ws: list[Word]) -> list[Hit]:
    """Every place, street and organisation in one turn, as (category, start, end, reason)."""
    return [
        *_organisations(text, ws),
        *_streets(text, ws),
        *_landmarks(text, ws),
        *_towns(text, ws),
        *_contexts(text, ws),
    ]


def _capital(w: Word) -> bool:
    """A capitalised word, or an acronym of two or more capitals (UPS, UT)."""
    return w.capitalised or (len(w.text) >= 2 and w.text.isupper() and w.text.isalpha())


def _joined(text: str, left: Word, right: Word) -> bool:
    """Only spaces, an apostrophe or an ampersand between two words of one name."""
    return text[left.end : right.start].strip() in ("", "&", "'s", "’s", "'", "’")


def _run_left(text: str, ws: list[Word], j: int, limit: int = 5) -> int:
    """The first index of the run of capitalised words (with of/and/the) ending before j;
    function words ('And', 'There') opening a sentence are not part of a name."""
    i = j
    while i > 0 and j - i < limit and _joined(text, ws[i - 1], ws[i]):
        w = ws[i - 1]
        named = _capital(w) and w.folded not in WEEKDAYS | MONTHS and zipf(w.text) < 6
        joining = w.folded in _JOINING and i > 1 and _capital(ws[i - 2])
        if not (named or joining):
            break
        i -= 1
    while i < j and (not _capital(ws[i]) or zipf(ws[i].text) >= 6):
        i += 1
    return i


def _possessive(text: str, end: int) -> int:
    """The end of an organisation's name, with its possessive ('Sainsbury's') when it has one."""
    return (
        end + 2
        if text[end : end + 2] in ("'s", "’s") and not text[end + 2 : end + 3].isalnum()
        else end
    )


def _organisations(text: str, ws: list[Word]) -> list[Hit]:
    """'Calderdale Royal Hospital', 'University of Leeds', 'Kent State', 'Morrab Surgery'."""
    hits = []
    for j, w in enumerate(ws):
        kind = w.folded
        if kind == "state" and j and _capital(ws[j - 1]) and w.capitalised:
            start = _run_left(text, ws, j, 3)
            if start < j and not (j + 1 < len(ws) and ws[j + 1].folded == "of"):
                hits.append(("ORG", ws[start].start, w.end, "a name before 'State' (a university)"))
            continue
        if kind not in ORG_KINDS or not w.capitalised:
            continue
        start = _run_left(text, ws, j)
        end = j
        if (
            end + 2 < len(ws)
            and ws[end + 1].folded == "of"
            and _joined(text, w, ws[end + 1])
            and _capital(ws[end + 2])
        ):
            end += 2
            while (
                end + 1 < len(ws) and _capital(ws[end + 1]) and _joined(text, ws[end], ws[end + 1])
            ):
                end += 1
        if (
            end + 1 < len(ws)
            and ws[end + 1].folded in DIRECTIONS
            and ws[end + 1].capitalised
            and _joined(text, ws[end], ws[end + 1])
        ):
            end += 1
        named = [x for x in ws[start:j] if x.folded not in ORG_SECOND and x.folded != "the"]
        if named or end > j:
            stop = _possessive(text, ws[end].end)
            hits.append(("ORG", ws[start].start, stop, f"a name with the word '{w.text}'"))
    return hits


def _streets(text: str, ws: list[Word]) -> list[Hit]:
    """A street kind after capitalised words (or numbered names): with a house number, any
    kind; without one, only a plain street word (Road, Lane, Street...)."""
    hits = []
    for j, w in enumerate(ws):
        if w.folded not in STREET_KINDS or not w.text[:1].isupper() or j == 0:
            continue
        start = j
        while start > 0 and j - start < 4 and _joined(text, ws[start - 1], ws[start]):
            prev = ws[start - 1]
            if _capital(prev) or regex.fullmatch(r"\d+(?:st|nd|rd|th)", prev.text):
                start -= 1
            else:
                break
        if start == j or ws[start].folded in ("the", "a"):
            continue
        house = _HOUSE.search(text[: ws[start].start])
        end = w.end + (
            1 if text[w.end : w.end + 1] == "." and w.folded in ("st", "rd", "ave") else 0
        )
        if house:
            unit = _UNIT_AFTER.match(text, end)
            end = unit.end() if unit else end
            hits.append(("ADDRESS", house.start(), end, "a house number, a name and a street word"))
        elif w.folded in STREET_ALONE and not ws[start].initial:
            hits.append(("ADDRESS", ws[start].start, end, f"a name with the word '{w.text}'"))
    return hits


def _landmarks(text: str, ws: list[Word]) -> list[Hit]:
    """'the Erasmus bridge', 'Hyde Park': a capitalised name before a landmark word."""
    hits = []
    for j, w in enumerate(ws):
        if w.folded not in LANDMARKS or j == 0:
            continue
        start = _run_left(text, ws, j, 3)
        named = ws[start:j]
        if named and not named[0].initial and all(_placeish(x) for x in named):
            hits.append(("PLACE", named[0].start, w.end, f"a name with the word '{w.text}'"))
    return hits


def _placeish(w: Word) -> bool:
    """A capitalised word that can name a place (not a weekday, month or brand)."""
    return (
        _capital(w)
        and w.folded not in KIN
        and w.folded not in TITLES
        and w.folded not in NOT_NAMES
        and w.folded not in WEEKDAYS
        and w.folded not in MONTHS
        and w.folded not in EVERYDAY_BRANDS
        and w.folded not in regions()
    )


def _towns(text: str, ws: list[Word]) -> list[Hit]:
    """Gazetteer towns and cities: longest name first; everyday words need a place word."""
    table = places()
    hits = []
    for i, w in enumerate(ws):
        if not w.capitalised or w.folded not in table or not _placeish(w):
            continue
        for key in table[w.folded]:
            span = ws[i : i + len(key)]
            if len(span) < len(key) or tuple(x.folded for x in span) != key:
                continue
            if any(not _joined(text, a, b) for a, b in itertools.pairwise(span)):
                continue
            preceded = i > 0 and ws[i - 1].folded in PLACE_WORDS
            common = len(key) == 1 and zipf(w.text) >= COMMON
            if common and not (preceded and not w.initial):
                break
            if w.folded in EVERYDAY_BRANDS:
                break
            hits.append(("PLACE", w.start, span[-1].end, "a town or city in the GeoNames list"))
            break
    return hits


def _contexts(text: str, ws: list[Word]) -> list[Hit]:
    """A capitalised name after 'lives in', 'moved to' (a place) or 'works at' (an employer)."""
    hits = []
    for i, w in enumerate(ws):
        if not _capital(w) or w.folded in regions() or not _placeish(w):
            continue
        head = text[max(0, w.start - 40) : w.start]
        end = i
        while end + 1 < len(ws) and _capital(ws[end + 1]) and _joined(text, ws[end], ws[end + 1]):
            end += 1
        if _WORKS.search(head):
            stop = _possessive(text, ws[end].end)
            hits.append(("ORG", w.start, stop, "a name after 'works at' or 'studies at'"))
        elif (
            _MOVED.search(head)
            and (i == 0 or ws[i - 1].folded != "in" or zipf(w.text) < COMMON)
            and w.capitalised
            and not w.initial
        ):
            hits.append(("PLACE", w.start, ws[end].end, "a name after 'lives in', 'from'..."))
    return hits
