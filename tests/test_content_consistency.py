"""What a machine can check of the content's consistency: ages against the durations a case
states, and every case in its own voice (no shared passages, client quotes, similes or side
characters across cases).

The checks read the content root (`IPT_FIDELITY_CONTENT`, else this checkout), so they can be
pointed at another checkout's content. The age rules read only phrasings they can parse without
doubt (listed with each rule); anything else is left to the human reader. Two files of the same
case may share words: a client repeating in a session what the vignette quotes is consistency.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

import pytest

from ipt_fidelity.config import content_root
from ipt_fidelity.content.library import load_library
from ipt_fidelity.content.models import Case, normalise_quote

LIB = load_library(root=content_root())
CASES = sorted(LIB.cases.values(), key=lambda c: c.id)

# ---------------------------------------------------------------- numbers in digits or words

UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
UNITS += ("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen")
UNITS += ("eighteen", "nineteen")
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")
NUM = "({}|{}(?:-(?:{}))?|{})".format(
    r"\d{1,3}",
    "(?:" + "|".join(TENS) + ")",
    "|".join(UNITS[:9]),
    "|".join(sorted(UNITS, key=len, reverse=True)),
)


def number(text: str) -> int:
    """The value of a number written in digits or in words ("46", "six", "forty-six")."""
    if text.isdigit():
        return int(text)
    tens, _, unit = text.lower().partition("-")
    if tens in TENS:
        return 20 + 10 * TENS.index(tens) + (UNITS.index(unit) + 1 if unit else 0)
    return UNITS.index(tens) + 1


# ---------------------------------------------------------------- ages against durations

ENTRY_AGE = 18  # the usual age for starting university in the UK and the US
PARENT_GAP = 15  # the smallest plausible age gap between a parent and a child

# "mother, 63, ..." / "older sister, 31" / "maternal grandmother, 66"; not "mother-in-law",
# "mother's partner" or "daughter, 4 months".
KIN = re.compile(
    r"^(?P<side>older |younger |elder |maternal |paternal )?"
    r"(?P<kin>grandmother|grandfather|mother|father|daughter|son|sister|brother)(?![-'\w])"
    r"[^,]*,\s*(?P<age>\d{1,3})\b(?!\s*(?:months?|weeks?|days?)\b)",
    re.IGNORECASE,
)
# "at 21" / "aged 19" in the client's own history, not "at 3 a.m.", "at 36 weeks", "at 5.10".
PAST_AGE = re.compile(
    rf"\b(?:at|aged) {NUM}\b(?![.:-]?\d)(?!\s*(?:weeks|months|a\.m|p\.m|[ap]m\b))"
)
TOGETHER = re.compile(rf"\b(?:(?:wife|husband|partner) of|[Mm]arried) {NUM} years")
WED_AT = re.compile(rf"\bmarried\b[^.;]*?\bat {NUM}\b")
STARTED_AT = re.compile(rf"\bstarted\b[^.;]*?\bat {NUM}\b")
TENURE = re.compile(rf"\bfor {NUM} years\b")
RETIRED_AT = re.compile(rf"\bretired (?:at|aged) {NUM}\b")
RETIRED_AGO = re.compile(rf"\bretire(?:d|ment)\b[^.;]*?\b{NUM} years ago\b", re.IGNORECASE)
# University: "at 18, in his first term at university" (the client); "from age 11 to 18" in an
# inventory entry that says they went to university; "First-year undergraduate"; a relative
# "19, at university ... for two years" or "21, in her third year at university".
FIRST_AT_UNIVERSITY = re.compile(r"\bfirst (?:term|year|university course)\b")
SCHOOL_YEARS = re.compile(rf"\bfrom age {NUM} to {NUM}\b")
NTH_YEAR_STUDENT = re.compile(rf"\b({'|'.join(ORDINALS)})-year\b", re.IGNORECASE)
RELATIVE_YEARS_AT = re.compile(rf",\s*(\d{{1,3}}),[^,]*\bat university\b[^,]*?\bfor {NUM} years")
RELATIVE_NTH_YEAR = re.compile(
    rf",\s*(\d{{1,3}}),[^,]*\bin (?:her|his|their) ({'|'.join(ORDINALS)}) year"
)


def relative_problem(client_age: int, relationship: str) -> str | None:
    """A relative's stated age that does not fit the generation the relationship names."""
    m = KIN.match(relationship.strip())
    if m is None:
        return None
    kin, side, age = m["kin"].lower(), (m["side"] or "").strip().lower(), int(m["age"])
    gap = age - client_age
    if kin in ("mother", "father"):
        fits = PARENT_GAP <= gap <= 60
    elif kin in ("daughter", "son"):
        fits = -gap >= PARENT_GAP
    elif kin.startswith("grand"):
        fits = gap >= 2 * PARENT_GAP
    elif side in ("older", "elder"):
        fits = gap >= 0
    else:
        fits = gap <= 0 or side != "younger"
    return None if fits else f"{relationship!r}: a {kin} of {age} for a client of {client_age}"


def duration_problems(
    client_age: int, life: str, relationships: Iterable[str], anywhere: str
) -> list[str]:
    """Past ages, marriages, careers and retirements that do not add up to the client's age.

    `life` is the client's own background, occupation and history; `relationships` are the
    inventory's relationship lines; `anywhere` is all of the case's text.
    """
    own = "\n".join([life, *relationships])
    problems = [
        f"{m[0]!r} is older than the client's {client_age}"
        for m in PAST_AGE.finditer(life)
        if number(m[1]) > client_age
    ]
    wed_at = [number(m[1]) for m in WED_AT.finditer(own)]
    for years in (number(m[1]) for m in TOGETHER.finditer(own)):
        if client_age - years < 16:
            problems.append(f"together {years} years, so since the age of {client_age - years}")
        problems += [
            f"married at {at} and for {years} years, but aged {client_age}"
            for at in wed_at
            if abs(at + years - client_age) > 1
        ]
    started = [number(m[1]) for m in STARTED_AT.finditer(life)]
    for m in TENURE.finditer(life):
        problems += [
            f"started at {at} and {m[0]!r} come to more than {client_age}"
            for at in started
            if at + number(m[1]) > client_age + 1
        ]
    retired_at = [number(m[1]) for m in RETIRED_AT.finditer(life)]
    for m in RETIRED_AGO.finditer(anywhere):
        problems += [
            f"retired at {at} and {m[0]!r} do not make {client_age}"
            for at in retired_at
            if abs(at + number(m[1]) - client_age) > 1
        ]
    return problems


def university_starts(
    client_age: int, life_sentences: Iterable[str], inventory: Iterable[str]
) -> Iterator[tuple[int, int, str]]:
    """Windows (earliest, latest, evidence) for the client's age on starting university."""
    for sentence in life_sentences:
        first = FIRST_AT_UNIVERSITY.search(sentence)
        if first and "universit" in sentence:
            ages = PAST_AGE.findall(sentence[: first.start()])
            if ages:
                yield number(ages[-1]) - 1, number(ages[-1]), sentence
        year = NTH_YEAR_STUDENT.search(sentence)
        if year and re.search(r"undergraduate|student", sentence, re.IGNORECASE):
            k = ORDINALS.index(year[1].lower()) + 1
            yield client_age - k, client_age - k + 1, sentence
    for passage in inventory:
        school = SCHOOL_YEARS.search(passage)
        if school and "universit" in passage:
            yield number(school[2]), number(school[2]) + 1, passage


def university_problems(
    client_age: int,
    life_sentences: Iterable[str],
    inventory: Iterable[str],
    relationships: Iterable[str],
) -> list[str]:
    """The client starts university at one plausible age, and so does each relative."""
    windows = list(university_starts(client_age, life_sentences, inventory))
    problems = [
        f"starts university at {latest} at the latest: {evidence!r}"
        for _, latest, evidence in windows
        if latest < ENTRY_AGE
    ]
    if windows and max(w[0] for w in windows) > min(w[1] for w in windows):
        shown = "; ".join(f"{lo}-{hi} from {ev!r}" for lo, hi, ev in windows)
        problems.append(f"the client's age on starting university disagrees: {shown}")
    for relationship in relationships:
        starts = [int(m[1]) - number(m[2]) for m in RELATIVE_YEARS_AT.finditer(relationship)]
        starts += [
            int(m[1]) - ORDINALS.index(m[2]) for m in RELATIVE_NTH_YEAR.finditer(relationship)
        ]
        problems += [f"{relationship!r} started university at {s}" for s in starts if s < ENTRY_AGE]
    return problems


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;])\s+", text) if s]


def age_problems(case: Case) -> list[str]:
    """Everything the age rules find wrong in one case."""
    v = case.vignette
    age = v.client.age
    relationships = [p.relationship for p in v.interpersonal_inventory]
    own = (v.client.background, v.client.occupation, v.history)
    inventory = [text for where, text in v.passages().items() if where.startswith("interpersonal")]
    anywhere = "\n".join(text for _, text in passages(case))
    problems = [p for r in relationships if (p := relative_problem(age, r))]
    problems += duration_problems(age, "\n".join(own), relationships, anywhere)
    life_sentences = [s for text in own for s in sentences(text)]
    return problems + university_problems(age, life_sentences, inventory, relationships)


# ---------------------------------------------------------------- each case its own voice

WORDS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
RUN = 8  # words in a row that may not recur in another case
QUOTED = 5  # a client's quoted words of this length may not recur in another case
NOT_SIMILES = {"lot", "bit", "few", "couple", "while", "little", "big", "good", "bad", "plan"}
NOT_SIMILES |= set(UNITS)  # "more like a two": a mood score, not an image
TITLES = r"(?:Dr|Mr|Mrs|Ms|Miss|Father|Coach|Abuela|Sister|Nurse)\.?"


def passages(case: Case) -> Iterator[tuple[str, str]]:
    """(where, text) for every passage of prose in a case and its sessions' transcripts."""
    v, k = case.vignette, case.key
    yield "setting", v.setting
    yield "client", f"{v.client.background} {v.client.occupation}"
    yield from v.passages().items()
    yield "key.rationale", k.rationale
    yield "key.model_formulation", k.model_formulation
    for i, text in enumerate([*k.teaching_points, *k.common_mistakes, *(c.why for c in k.cues)]):
        yield f"key.{i}", text
    for session in LIB.sessions.values():
        if session.case == case.id:
            yield f"{session.id}.summary", session.summary
            for turn in session.turns:
                yield f"{session.id} turn {turn.n}", turn.text


PASSAGES = {c.id: list(passages(c)) for c in CASES}


def words(text: str) -> list[str]:
    return WORDS.findall(normalise_quote(text))


def shared(features: dict[str, dict[str, str]]) -> list[str]:
    """Features found in more than one case, as 'feature: case (where), case (where)'."""
    cases_of: dict[str, dict[str, str]] = defaultdict(dict)
    for case_id, found in features.items():
        for feature, where in found.items():
            cases_of[feature][case_id] = where
    return sorted(
        f"{feature!r}: " + ", ".join(f"{c} ({w})" for c, w in sorted(seen.items()))
        for feature, seen in cases_of.items()
        if len(seen) > 1
    )


def word_runs(found: list[tuple[str, str]]) -> dict[str, str]:
    runs = {}
    for where, text in found:
        w = words(text)
        for i in range(len(w) - RUN + 1):
            runs.setdefault(" ".join(w[i : i + RUN]), where)
    return runs


def similes(found: list[tuple[str, str]]) -> dict[str, str]:
    likes = {}
    for where, text in found:
        for m in re.finditer(r"\blike an? ([a-z]+)", normalise_quote(text)):
            if m[1] not in NOT_SIMILES:
                likes.setdefault(m[0], where)
    return likes


def character_names(case: Case) -> set[str]:
    """The case's people by name: the client, the inventory, and anyone named with a title."""
    names = set(case.vignette.client.pseudonym.split())
    for person in case.vignette.interpersonal_inventory:
        names |= {w for w in re.sub(TITLES, "", person.name).split() if w[:1].isupper()}
    for _, text in PASSAGES[case.id]:
        names |= set(re.findall(rf"\b{TITLES} ([A-Z][a-z]+)", text))
    return names


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_ages_fit_the_durations_each_case_states(case: Case):
    assert age_problems(case) == []


def test_no_run_of_eight_words_recurs_in_another_case():
    assert shared({cid: word_runs(found) for cid, found in PASSAGES.items()}) == []


def test_no_quoted_words_of_a_client_recur_in_another_case():
    joined = {
        cid: f" {' '.join(w for _, text in found for w in words(text))} "
        for cid, found in PASSAGES.items()
    }
    recurring = []
    for cid, found in PASSAGES.items():
        for where, text in found:
            for quote in re.findall(r'"([^"]+)"', normalise_quote(text)):
                phrase = words(quote)
                if len(phrase) < QUOTED:
                    continue
                recurring += [
                    f"{quote!r}: {cid} ({where}) and {other}"
                    for other, all_words in joined.items()
                    if other != cid and f" {' '.join(phrase)} " in all_words
                ]
    assert recurring == []


def test_no_simile_recurs_in_another_case():
    assert shared({cid: similes(found) for cid, found in PASSAGES.items()}) == []


def first_mention(name: str, found: list[tuple[str, str]]) -> str | None:
    """Where a name first appears as a word in a case's passages, if it does."""
    pattern = re.compile(rf"\b{re.escape(name)}\b")
    return next((where for where, text in found if pattern.search(text)), None)


def test_no_side_character_is_named_in_two_cases():
    clashes = [
        f"{name!r} of {case.id} is also in {other} ({where})"
        for case in CASES
        for name in sorted(character_names(case))
        for other, found in PASSAGES.items()
        if other != case.id and (where := first_mention(name, found))
    ]
    assert clashes == []


# ---------------------------------------------------------------- the rules catch what they should


@pytest.mark.parametrize(
    ("client_age", "relationship", "wrong"),
    [
        (34, "mother, 63, lives in Stoke", False),
        (34, "mother, 45", True),
        (58, "daughter, 30, nurse, two young children", False),
        (29, "daughter, 4 months", False),
        (27, "older sister, 31, married with two children", False),
        (27, "older sister, 25", True),
        (16, "younger brother, 19", True),
        (15, "maternal grandmother, 66, lives four blocks away", False),
        (38, "mother-in-law, 74", False),
        (15, "mother's partner, 44, electrician", False),
    ],
)
def test_relatives_are_checked_against_their_generation(client_age, relationship, wrong):
    assert (relative_problem(client_age, relationship) is not None) is wrong


def test_the_university_rules_catch_a_sister_who_started_at_seventeen():
    assert university_problems(16, [], [], ["sister, 19, at university in Cardiff for two years"])
    assert university_problems(16, [], [], ["sister, 21, in her third year at university"]) == []


def test_the_university_rules_catch_two_different_start_ages():
    friend = "His one close friendship, from age 11 to 18; they went to different universities."
    late = "One previous episode at 21, when he dropped out of his first university course."
    timely = "One previous episode at 18, in his first term at university."
    assert university_problems(34, [late], [friend], [])
    assert university_problems(34, [timely], [friend], []) == []
    assert university_problems(24, ["Final-year (fourth-year MEng) student"], [], []) == []


def test_the_duration_rules_add_up_marriages_careers_and_retirements():
    assert (
        duration_problems(44, "married into the village at 22", ["husband of 22 years"], "") == []
    )
    assert duration_problems(44, "married into the village at 22", ["husband of 25 years"], "")
    assert duration_problems(58, "fitter for 36 years; he had started there at 22", [], "") == []
    assert duration_problems(58, "fitter for 40 years; he had started there at 22", [], "")
    assert duration_problems(72, "retired at 63", [], "the retirement was nine years ago") == []
    assert duration_problems(72, "retired at 63", [], "the retirement was four years ago")
    assert duration_problems(30, "a previous episode at 41", [], "")
    assert duration_problems(30, "wakes at 4 a.m.; seen at 36 weeks; up at 5.10", [], "") == []
    assert duration_problems(24, "", ["older brother (died aged 27)"], "") == []


def test_the_voice_rules_see_a_shared_run_a_shared_simile_and_numbers_in_words():
    run = "i read the same page five times and still"
    assert shared({"a": word_runs([("x", run)]), "b": word_runs([("y", run)])})
    assert shared({"a": similes([("x", "like a ghost")]), "b": similes([("y", "like a ghost")])})
    assert shared({"a": similes([("x", "like a lot")]), "b": similes([("y", "like a lot")])}) == []
    assert shared({"a": similes([("x", "like a two")]), "b": similes([("y", "like a two")])}) == []
    assert [number(n) for n in ("forty-six", "two", "36", "nineteen")] == [46, 2, 36, 19]
