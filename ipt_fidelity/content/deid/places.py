"""Places below state level and organisations: towns, streets, landmarks, hospitals, employers.

- towns and cities from the GeoNames gazetteer (a name that is also an everyday word, such as
  `Reading` or `Bath`, only after `in`, `from`, `to`, `near`...), and any capitalised name after
  `lives in`, `moved to`, `grew up in`...;
- streets (`Wakefield Road`, `2214 West 71st Street`, `Flat 4, 29 Gorsey Bank Road`) and
  landmarks (`the Erasmus bridge`);
- organisations by their kind word (`... Hospital`, `... Surgery`, `... Middle School`,
  `... Primary`, `... Sixth Form`, `... plc`/`LLP` in any case, `... Partnership`, `... Inn`,
  `University of ...`, `... State`); weaker kind words (`Aid`, `Homes`, `Motors`) only with `of`
  and a name after them (`Legal Aid of ...`) or a rare word or town before them; kind words
  that open a name (`Masjid ...`); a saint's name said as a place (`St Mary's`) and `Royal`
  before a name (`the Royal Marsden`); lower-case speech-to-text (`st thomas hospital`,
  `pinderfields hospital`); a name placed on a street (`the Spar off Bank Lane`); employers
  and schools after `works at`, `drives for`, `studying at`. A kind of service (`the Job
  Centre`, `GP Surgery`, `Intensive Care Unit`) and a feast day (`St Patrick's Day`) are not
  organisations.
"""

from __future__ import annotations

import itertools

import regex

from .finding import Hit
from .lexicon import KIN, MONTHS, NOT_NAMES, TITLES, WEEKDAYS, places, regions, wordset, zipf
from .names import EVERYDAY_BRANDS, PARTICLES, RARE
from .text import Word

COMMON = 4.0
"""Zipf from which a town's name is an everyday word and needs a place word before it."""

ORG_KINDS = wordset(
    """hospital hospitals infirmary clinic clinics surgery practice hospice trust school schools
    academy college university collegiate nursery primary infants juniors comprehensive grammar
    church chapel cathedral mosque temple synagogue gurdwara baptist methodist parish council
    court tribunal bank ltd limited inc llc llp plc gmbh group company corporation corp services
    logistics solutions systems consulting holdings industries enterprises technologies works
    club society association foundation institute centre center high pharmacy partners
    partnership associates solicitors prison library hotel inn tavern ward unit co-op
    cooperative co-operative federation alliance coalition szpital krankenhaus hôpital hopital
    ziekenhuis sjukhus ospedale hospitalet"""
)
"""Words that end (or, before `of`, start) an organisation's name."""
LEGAL_SUFFIXES = wordset("ltd inc llc llp plc gmbh")
"""Company endings that count in any case (`Calloway Brothers plc`, `Fenwick Kowalczyk LLP`)."""
WEAK_KINDS = wordset(
    """aid rights charities charity home homes motors garage garages haulage removals transport
    network mission fund form"""
)
"""Words that end a name only with more evidence: `of` and a name after them (`Legal Aid of
...`), a rare or town word before them (`Tollgate Homes`), or a kind of home (`... Care Home`)."""
ORG_SECOND = wordset(
    """high middle primary secondary elementary junior infant medical health care nursing
    residential community sixth"""
)
"""Words that may come before a kind word inside a name (`... Middle School`)."""
GENERIC_SERVICES = wordset(
    """job jobs leisure day crisis garden shopping sports youth advice family families children's
    social walk-in drop-in visitor visitors wellbeing recovery rehabilitation treatment
    assessment mental magistrates crown food gp intensive dependency acute coronary neonatal
    maternity psychiatric inpatient outpatient"""
)
"""Words that with a kind word name a kind of service, not one place (`the Job Centre`,
`Social Services`, `the Youth Club`, `a Food Bank`): a name needs another word too."""
LOWER_QUALIFIERS = ORG_SECOND | wordset(
    """general royal memorial district county city teaching children's university"""
)
"""Words between a name and a kind word in lower-case speech (`leeds general infirmary`)."""
START_KINDS = wordset("masjid jamia")
"""Kind words that open a name (`Masjid al-Noor`)."""
LOWER_KINDS = wordset(
    """hospital infirmary hospice clinic surgery school academy college university church
    chapel cathedral mosque temple synagogue gurdwara"""
)
"""Kind words that make an organisation in lower-case speech-to-text (`pinderfields hospital`)."""
SERVICE_WORDS = wordset(
    """paediatric pediatric orthopaedic orthopedic dermatology methadone montessori steiner physio
    physiotherapy neuro neurology oncology psychiatric psychiatry inpatient outpatient detox
    rehab maternity fertility urology gynaecology gynecology podiatry audiology optometry
    haematology hematology cardiology radiology dialysis chemo chemotherapy eating memory pain
    sleep sexual gum fracture walk-in nhs gp private catholic faith state boarding summer
    sunday bible dance drama driving language"""
)
"""Words for a kind of service or school, never a name, before a lower-case kind word."""
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
SAINTS_DAYS = wordset("day day's days eve night wort cross")
"""Words after `St Patrick's` that make a feast day or a plant, not a place."""
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
        if kind in START_KINDS and w.capitalised:
            hits.extend(_opening_kind(text, ws, j))
            continue
        legal = kind in LEGAL_SUFFIXES and j and _capital(ws[j - 1])
        if not (kind in ORG_KINDS or kind in WEAK_KINDS) or not (w.capitalised or legal):
            continue
        start = _run_left(text, ws, j)
        end = _of_name(text, ws, j)
        named = [
            x
            for x in ws[start:j]
            if x.folded not in ORG_SECOND and x.folded not in GENERIC_SERVICES and x.folded != "the"
        ]
        if kind in WEAK_KINDS and end == j and not _weak_evidence(kind, ws[start:j]):
            continue
        if kind == "church" and end == j + 2 and ws[end].folded in regions():
            end = j  # a national church ('the Church of England'), not a congregation
        if named or end > j:
            stop = _possessive(text, ws[end].end)
            hits.append(("ORG", ws[start].start, stop, f"a name with the word '{w.text}'"))
    return [*hits, *_saints_and_royals(text, ws), *_lower_case(text, ws), *_venues(text, ws)]


def _of_name(text: str, ws: list[Word], j: int) -> int:
    """The last word of an organisation's name that goes on after its kind word: `University of
    Leeds`, `Legal Aid of North Texas`, `... Hospital South`."""
    end = j
    if (
        end + 2 < len(ws)
        and ws[end + 1].folded == "of"
        and _joined(text, ws[j], ws[end + 1])
        and _capital(ws[end + 2])
    ):
        end += 2
        while end + 1 < len(ws) and _capital(ws[end + 1]) and _joined(text, ws[end], ws[end + 1]):
            end += 1
    if (
        end + 1 < len(ws)
        and ws[end + 1].folded in DIRECTIONS
        and ws[end + 1].capitalised
        and _joined(text, ws[end], ws[end + 1])
    ):
        end += 1
    return end


def _weak_evidence(kind: str, run: list[Word]) -> bool:
    """A weak kind word makes a name after a rare word or a town (`Tollgate Homes`, `Dunmore
    Motors`), after a kind of home (`Meadowbank Care Home`), or after `Sixth` (`... Sixth Form`).
    """
    folded = [x.folded for x in run]
    others = any(x.folded not in ORG_SECOND and _placeish(x) for x in run)
    if kind == "form":
        return folded[-1:] == ["sixth"] and others
    if kind in ("home", "homes") and set(folded) & {"care", "nursing", "residential"}:
        return others
    return any(_namelike(x) for x in run)


def _namelike(w: Word) -> bool:
    """A word that can only be a name: rare in English, or a town that is not an everyday word."""
    if w.folded in LOWER_QUALIFIERS or w.folded in SERVICE_WORDS or not _placeish(w):
        return False
    town = (w.folded,) in places().get(w.folded, ())
    return zipf(w.text) < RARE or (town and zipf(w.text) < COMMON)


def _opening_kind(text: str, ws: list[Word], j: int) -> list[Hit]:
    """'Masjid al-Noor', 'Jamia Masjid Ghausia': a kind word that opens the name."""
    end = j
    while end + 1 < len(ws) and _joined(text, ws[end], ws[end + 1]):
        nxt = ws[end + 1]
        if not (_capital(nxt) or nxt.folded in PARTICLES or any(c.isupper() for c in nxt.text)):
            break
        end += 1
    if end == j:
        return []
    return [("ORG", ws[j].start, ws[end].end, f"a name opened by the word '{ws[j].text}'")]


def _saints_and_royals(text: str, ws: list[Word]) -> list[Hit]:
    """'St Bartholomew's' (a hospital, school or church named for a saint, said without its kind
    word) and 'the Royal Marsden' ('Royal' before a word that is not an everyday one)."""
    hits = []
    for i, w in enumerate(ws[:-1]):
        nxt = ws[i + 1]
        if not _joined_by_space(text, w, nxt, dotted=w.folded == "st") or not nxt.capitalised:
            continue
        if w.text in ("St", "Saint"):
            stop = _possessive(text, nxt.end)
            if stop == nxt.end and text[nxt.end : nxt.end + 1] in ("'", "’"):
                stop = nxt.end + 1 if not text[nxt.end + 1 : nxt.end + 2].isalnum() else stop
            after = regex.match(r"\W*(\w+)", text[stop:])
            feast = nxt.folded in NOT_NAMES or (after and after[1].casefold() in SAINTS_DAYS)
            if stop > nxt.end and not feast:
                hits.append(("ORG", w.start, stop, "a saint's name said as a place ('St Mary's')"))
        elif w.text == "Royal" and (zipf(nxt.text) < COMMON or _namelike(nxt)):
            end = i + 1
            while (
                end + 1 < len(ws) and _capital(ws[end + 1]) and _joined(text, ws[end], ws[end + 1])
            ):
                end += 1
            stop = _possessive(text, ws[end].end)
            hits.append(("ORG", w.start, stop, "'Royal' before a name (a hospital or school)"))
    return hits


def _venues(text: str, ws: list[Word]) -> list[Hit]:
    """'the Crown on Station Road', 'the Spar off Bank Lane': a shop, pub or firm named by where
    it stands (`the`, a capitalised name, `on` or `off`, and a street)."""
    hits = []
    for i, w in enumerate(ws[:-4]):
        if w.folded != "the" or not _capital(ws[i + 1]):
            continue
        end = i + 1
        while end + 1 < len(ws) and end - i < 3 and _capital(ws[end + 1]):
            if not _joined(text, ws[end], ws[end + 1]):
                break
            end += 1
        name = ws[i + 1 : end + 1]
        if not all(_placeish(x) and x.folded not in STREET_KINDS for x in name):
            continue
        if end + 1 >= len(ws) or ws[end + 1].folded not in ("on", "off"):
            continue
        k = end + 2
        while k < len(ws) and k - end < 6 and _capital(ws[k]) and ws[k].folded not in STREET_KINDS:
            k += 1
        street = ws[end + 2 : k + 1]
        if k < len(ws) and ws[k].folded in STREET_KINDS and ws[k].capitalised and len(street) > 1:
            stop = _possessive(text, ws[end].end)
            hits.append(
                ("ORG", ws[i + 1].start, stop, "a name placed on a street ('the X on Y Road')")
            )
    return hits


def _joined_by_space(text: str, left: Word, right: Word, dotted: bool = False) -> bool:
    """Only spaces (and, after an abbreviation, a full stop) between two words."""
    between = text[left.end : right.start]
    return between.strip() in (("", ".") if dotted else ("",)) and between != ""


def _lower_case(text: str, ws: list[Word]) -> list[Hit]:
    """Lower-case speech-to-text: 'st thomas hospital', 'pinderfields hospital', 'leeds general
    infirmary': a kind word after a rare word, a town, or 'st' and a word."""
    hits = []
    for j, w in enumerate(ws):
        if w.folded not in LOWER_KINDS or not w.text.islower() or j == 0:
            continue
        i, named = j, False
        while i > 0 and j - i < 4 and text[ws[i - 1].end : ws[i].start] in _LOWER_GAPS:
            prev = ws[i - 1]
            if not prev.text.islower():
                break
            if i >= 2 and ws[i - 2].folded in ("st", "saint") and ws[i - 2].text.islower():
                i, named = i - 2, True
                break
            if prev.folded in LOWER_QUALIFIERS:
                i -= 1
                continue
            if _lower_name(prev, qualified=i < j):
                i, named = i - 1, True
                continue
            break
        if named:
            reason = f"a name with the word '{w.text}' (lower case)"
            hits.append(("ORG", ws[i].start, w.end, reason))
    return hits


_LOWER_GAPS = (" ", "'s ", "’s ", "' ", "’ ")
"""What may stand between two words of a lower-case name (`st aidan's church`)."""


def _lower_name(w: Word, qualified: bool) -> bool:
    """A lower-case word that names: rare in English (not a service word), or a town; before a
    qualifier ('leeds general infirmary') a town may be a common word as well."""
    f = w.folded
    if f in SERVICE_WORDS or f in KIN or f in NOT_NAMES or f in WEEKDAYS or f in MONTHS:
        return False
    if f in regions() or f in EVERYDAY_BRANDS or not w.text.isalpha():
        return False
    z = zipf(f)
    town = (f,) in places().get(f, ())
    return z < 2.7 or (town and z < (5.0 if qualified else COMMON))


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
