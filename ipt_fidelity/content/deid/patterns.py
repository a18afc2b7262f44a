"""Regular-expression detectors for identifiers with a shape: dates, ages, addresses online and
off, postcodes, IP addresses.

A pattern with a group named `v` reports only that group, so context words ("zip code", "fax")
help find a value without being redacted themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .finding import Hit
from .lexicon import zipf
from .names import RARE as NAME_RARE

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
)
_UNITS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
_ORDINAL = (
    r"(?:tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth"
    rf"|eighteenth|nineteenth|twentieth|thirtieth|(?:twenty|thirty)[- ](?:{_UNITS})|{_UNITS})"
)
_NTH = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)"
_DAY = rf"(?:{_NTH}|(?:[12]\d|3[01]|0?[1-9])(?![\d:.,]\d)|{_ORDINAL})"
_YEAR = r"(?:,?\s+(?:19|20)\d{2}\b|\s+of\s+(?:(?:19|20)\d{2}\b|['’]\d{2}\b))"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WEEKDAY_LEAD = rf"(?:{_WEEKDAY},?\s+)?"
_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine"
_AGE = (
    rf"(?:9\d|1[01]\d|12[0-5]|ninety(?:[- ](?:{_NUMBER_WORDS}))?"
    rf"|(?:a|one)\s+hundred(?:\s+and\s+(?:{_NUMBER_WORDS}|ten))?)"
)
_NOT_AGE_AFTER = (
    r"(?!\s*(?:%|percent|per\s+cent|degrees|minutes|mins|seconds|secs|hours|times|pounds|quid"
    r"|dollars|miles|km|kg|mg|ml|points|pages|calls|people|days|weeks|quid|grand|k\b|s\b|'s\b))"
)
_UK_POSTCODE = r"(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})"
_STATE = (
    r"(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI"
    r"|S[CD]|T[NX]|UT|V[AT]|W[AIVY]|Alabama|Alaska|Arizona|Arkansas|California|Colorado"
    r"|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky"
    r"|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana"
    r"|Nebraska|Nevada|New\s+Hampshire|New\s+Jersey|New\s+Mexico|New\s+York|North\s+Carolina"
    r"|North\s+Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode\s+Island|South\s+Carolina"
    r"|South\s+Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West\s+Virginia"
    r"|Wisconsin|Wyoming)"
)
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_TLD = (
    r"(?:com|org|net|edu|gov|mil|int|info|biz|io|ai|app|dev|me|tv|ly|gl|gd|be|co|us|uk|ca|au|nz"
    r"|ie|de|fr|es|it|nl|pl|se|dk|no|fi|pt|ch|at|in|za|ng|jp|cn|br|mx|eu|online|site|link|page"
    r"|club|shop|blog|xyz)"
)
_DOT = r"\s+dot\s+"
_SPOKEN_PART = r"[a-z0-9][a-z0-9_-]*"
_SPOKEN_LOCAL = rf"{_SPOKEN_PART}(?:\s+(?:dot|underscore|dash|hyphen)\s+{_SPOKEN_PART})*"
_SPOKEN_DOMAIN = rf"{_SPOKEN_PART}(?:{_DOT}{_SPOKEN_PART})*{_DOT}{_TLD}\b(?:{_DOT}{_TLD}\b)?"
_PROVIDERS = r"(?:gmail|googlemail|hotmail|yahoo|outlook|icloud|aol|live|btinternet|protonmail)"
_DATE_CONTEXT = (
    r"(?i:\b(?:on|since|by|from|until|till|til|before|after|dated|born|due|of|for|to)\s+$)"
)

PATTERNS: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (category, re.compile(pattern), reason)
    for category, pattern, reason in (
        ("EMAIL", r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", "an e-mail address"),
        ("URL", r"(?i:\b(?:https?://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]])", "a web address"),
        (
            "URL",
            rf"(?i:(?<![@\w.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.{_TLD}\b(?!\.\w)"
            r"(?:/(?:[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?)?)",
            "a web address or short link",
        ),
        (
            "URL",
            rf"(?i:\b(?:www{_DOT})?{_SPOKEN_PART}(?:{_DOT}{_SPOKEN_PART})*{_DOT}{_TLD}\b"
            rf"(?:{_DOT}{_TLD}\b)?(?:\s+slash\s+{_SPOKEN_PART})*)",
            "a web address said as words ('... dot com')",
        ),
        (
            "HANDLE",
            r"(?<![\w@./])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?",
            "a social media handle",
        ),
        ("IP", rf"(?<![\d.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\d.]*\d)", "an IPv4 address"),
        (
            "IP",
            r"(?i:(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:]))",
            "an IPv6 address",
        ),
        (
            "IP",
            r"(?i:(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?(?![\w:]))",
            "an IPv6 address",
        ),
        (
            "FAX",
            r"(?i:\bfax\b)[^\d\n]{0,40}(?P<v>\+?\d(?:[ ().-]{0,2}\d){6,14})\b",
            "a number after 'fax'",
        ),
        (
            "DATE",
            rf"{_WEEKDAY_LEAD}\b{_MONTH}\s+(?:the\s+)?{_DAY}\b{_YEAR}?",
            "a month and a day",
        ),
        (
            "DATE",
            rf"{_WEEKDAY_LEAD}(?i:\bthe\s+)?\b{_DAY}\s+(?:of\s+)?{_MONTH}(?![a-z]){_YEAR}?",
            "a day and a month",
        ),
        (
            "DATE",
            rf"\b{_MONTH}\s+(?:of\s+)?(?:(?:19|20)\d{{2}}\b|['’]\d{{2}}\b)",
            "a month and year",
        ),
        (
            "DATE",
            rf"\b{_WEEKDAY}\s+(?:the\s+(?:{_NTH}|{_ORDINAL})|{_NTH})\b",
            "a weekday and a day of the month",
        ),
        (
            "DATE",
            rf"(?i:\b(?:on|by|until|till|from|since|before|after|for)\s+)(?P<v>the\s+(?:{_NTH}|"
            rf"{_ORDINAL}))\b(?!\s+(?!of\b|and\b|at\b|when\b|so\b|because\b|but\b)[A-Za-z])",
            "a day of the month ('on the 21st')",
        ),
        (
            "DATE",
            r"\b(?:[12]\d|3[01]|0?[1-9])(?P<s>[/.-])(?:[12]\d|3[01]|0?[1-9])(?P=s)(?:19|20)?\d{2}\b"
            r"(?![/.-]\d)",
            "a date in digits",
        ),
        (
            "DATE",
            r"\b(?:19|20)\d{2}(?P<s>[/.-])(?:0?[1-9]|1[0-2])(?P=s)(?:0?[1-9]|[12]\d|3[01])\b",
            "a date in digits, year first",
        ),
        (
            "AGE",
            rf"(?i:\b(?P<v>{_AGE})(?:[- ]?(?:years?|yrs?)(?:[- ]?old)?|[- ]?y/?o)\b)",
            "an age over 89 with 'years old'",
        ),
        (
            "AGE",
            rf"(?i:\b(?:aged?|turned|turning|turns|turn|reached|reach|hit|be|been|is|was|'s|’s"
            rf"|'m|’m|am|are|were)\s+(?:nearly\s+|almost\s+|just\s+|now\s+)?(?P<v>{_AGE})\b)"
            + _NOT_AGE_AFTER,
            "a number over 89 said as someone's age",
        ),
        (
            "AGE",
            r"(?i:\b(?:his|her|their|my|your)\s+"
            r"(?P<v>(?:late |early |mid[- ])?(?:nineties|90['’]?s)))\b",
            "an age in the nineties",
        ),
        ("AGE", rf"(?i:\b(?P<v>{_AGE})(?:st|nd|rd|th)?\s+birthday)", "a birthday over 89"),
        ("ADDRESS", r"(?i:\b(?:P\.?\s?O\.?\s+Box|Post Office Box)\s+\d+\b)", "a PO box"),
        ("ZIP", r"\b\d{5}-\d{4}\b", "a ZIP+4 code"),
        ("ZIP", rf"\b{_STATE},?\s+(?P<v>\d{{5}})\b", "a five-digit ZIP code after a state"),
        (
            "ZIP",
            r"(?i:\b(?:zip|zip code|zipcode|postal code|postcode|post code)\b)\W{0,6}(?:is\s+)?"
            rf"(?P<v>\d{{5}}(?:-\d{{4}})?|{_UK_POSTCODE})",
            "a code after 'zip code' or 'postcode'",
        ),
        ("ZIP", rf"\b{_UK_POSTCODE}\b", "the layout of a UK postcode"),
    )
)
_SLASHED = re.compile(r"(?<![\d/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/])")


def matches(text: str) -> Iterator[Hit]:
    """Every (category, start, end, reason) the patterns report in a text, overlaps included."""
    for category, pattern, reason in PATTERNS:
        for m in pattern.finditer(text):
            group = "v" if "v" in pattern.groupindex else 0
            if m.start(group) < m.end(group):
                yield category, m.start(group), m.end(group), reason
    yield from _short_dates(text)
    yield from _platform_handles(text)
    yield from _spoken_emails(text)


_SPOKEN_EMAIL = re.compile(
    rf"(?i:(?<![\w.@-])(?P<local>{_SPOKEN_LOCAL})\s+at\s+(?:(?P<spoken>{_SPOKEN_DOMAIN})"
    rf"|(?P<written>[\w-]+(?:\.[\w-]+)*\.{_TLD}\b|{_PROVIDERS}\b)))"
)


def _spoken_emails(text: str) -> Iterator[Hit]:
    """'jo dot bloggs at gmail dot com', 'jb_84 at hotmail': a domain said as words makes any
    name before 'at' an address; a written domain or a provider needs a user-name-like word."""
    for m in _SPOKEN_EMAIL.finditer(text):
        local = m["local"]
        username = bool(re.search(r"[\d_]|\s(?:dot|underscore|dash|hyphen)\s", local))
        if m["spoken"] or username or zipf(local) < NAME_RARE:
            yield "EMAIL", m.start(), m.end(), "an e-mail address said as words ('at ... dot ...')"


PLATFORMS = (
    "snapchat|instagram|insta|tiktok|twitter|facebook|threads|bluesky|discord|telegram|reddit"
    "|twitch|tumblr|youtube|linkedin"
)
_PLATFORM = re.compile(
    rf"(?i:\b(?:{PLATFORMS})\b[,:]?(?:\s+(?:handle|account|username|user\s*name"
    r"|name|page|channel|is|was|it's|it’s|'s|’s))*[,:]?\s+)(?P<v>[A-Za-z0-9_.]{3,30}[A-Za-z0-9_])"
)


def _platform_handles(text: str) -> Iterator[Hit]:
    """A user name right after a platform's name ('a Snapchat, callumthegreat'): one word with a
    digit, an underscore or a dot, or one English almost never uses."""
    folded = text.casefold()
    if not any(p in folded for p in PLATFORMS.split("|")):
        return
    for m in _PLATFORM.finditer(text):
        value = m["v"]
        if re.search(r"[\d_.]", value) or zipf(value) < NAME_RARE:
            yield "HANDLE", m.start("v"), m.end("v"), "a user name after the name of a platform"


def _short_dates(text: str) -> Iterator[Hit]:
    """'2/14' or '14/2' without a year: not a score out of 10 or a small fraction, unless a
    date word ('on', 'since', 'by') comes right before it."""
    for m in _SLASHED.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        if not (1 <= a <= 31 and 1 <= b <= 31 and min(a, b) <= 12):
            continue
        looks_like_score = b in (5, 10, 20) or (a < b <= 4) or (a < b and b in (6, 8, 12))
        dated = re.search(_DATE_CONTEXT, text[max(0, m.start() - 12) : m.start()])
        if dated or not looks_like_score:
            yield "DATE", m.start(), m.end(), "a day and month in digits"
