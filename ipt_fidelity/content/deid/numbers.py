"""Numbers that identify: phone numbers, ID numbers by shape and checksum, vehicle plates.

- phone numbers: `phonenumbers` (Google's libphonenumber metadata) finds national and
  international numbers for the UK and the US; numbers said as words ("oh seven seven double
  oh nine ...") are first turned into digits (`text2num`, after 'oh', 'double' and 'treble'
  are spelled out);
- ID numbers without a keyword: NHS numbers (mod-11 check, `python-stdnum`), US Social Security
  numbers (area, group and serial rules, `python-stdnum`), Medicare beneficiary identifiers
  (their published character layout), UK National Insurance numbers (two letters, six digits,
  A-D), long numbers and letter-digit codes; and after a keyword (`MRN`, `member ID`, ...);
- vehicle registrations: the UK current, prefix and suffix layouts, and any plate after
  `plate`, `reg` or `registration`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers
from stdnum.gb import nhs
from stdnum.us import ssn
from text_to_num import alpha2digit

from .finding import Hit

_DIGIT_WORDS = (
    "zero|oh|o|nought|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    "|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty"
    "|seventy|eighty|ninety|hundred|double|triple|treble|plus"
)
_SPOKEN = re.compile(rf"(?i)\b(?:{_DIGIT_WORDS})(?:(?:[\s,.-]|\band\b)+(?:{_DIGIT_WORDS}|\d+)\b)+")
_REPEAT = re.compile(r"(?i)\b(double|triple|treble)\s+(\w+)")
_DIGITS_RUN = re.compile(r"(?<![\w.+/-])\+?\d(?:[\s.-]?\d){5,14}(?![\w/])")
_MBI = re.compile(
    r"\b[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y\d]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y\d]\d-?"
    r"[AC-HJKMNP-RT-Y]{2}\d{2}\b"
)
_NINO = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")
_CODE = re.compile(r"\b(?=[A-Z\d-]*\d{4})(?=[A-Z\d-]*[A-Z])[A-Z\d][A-Z\d-]{5,}\b")
_VEHICLE = re.compile(
    r"\b(?:[A-Z]{2}\d{2}\s?[A-Z]{3}|[A-HJ-PR-Y]\d{1,3}\s?[A-Z]{3}|[A-Z]{3}\s?\d{1,3}[A-Z])\b"
)
_PLATE = re.compile(
    r"(?i:\b(?:plate|plates|reg|registration|tag|licen[cs]e\s+plate)\b(?:\s+(?:number|is|was))*"
    r"[\s:,]*)(?P<v>(?=[A-Za-z\d-]*\d)(?=[A-Za-z\d-]*[A-Za-z])[A-Za-z\d]{1,4}[\s-]?[A-Za-z\d]{1,5})\b"
)
_ID_KEY = re.compile(
    r"(?i:\b(?:medical\s+record|MRN|chart|patient|member(?:ship)?|account|acct|policy"
    r"|insurance|subscriber|beneficiary|health\s+plan|NHS|hospital|claim|licen[cs]e|passport"
    r"|certificate|serial|student|employee|staff|case|crime\s+reference|reference|BSN|ID)\b"
    r"(?:\s+(?:number|no\.?|num|#|ID|code))?(?:\s+(?:is|was|'s))?[\s:#,]*)"
    r"(?P<v>(?=[A-Za-z-]*\d(?:[A-Za-z-]*\d|\s\d){3})[A-Za-z\d][A-Za-z\d-]*(?:\s\d[A-Za-z\d-]*){0,3})"
)
_SSN_KEY = re.compile(
    r"(?i:\b(?:social\s+security|SSN|social)\b)\D{0,20}?(?P<v>\d{3}[ .-]?\d{2}[ .-]?\d{4})\b"
)
_MONEY_BEFORE = re.compile(r"[£$€]\s*$")
_NOT_PHONE_AFTER = re.compile(r"\s*(?:%|percent|mg|ml|kg|pounds|dollars|quid|k\b|people|words)")


def find_numbers(text: str) -> Iterator[Hit]:
    """Phones, IDs, SSNs and plates in one turn, written in digits or said as words."""
    yield from _written(text)
    for m in _SPOKEN.finditer(text):
        digits = spoken_digits(m.group())
        if len(digits) >= 7:
            category, why = _classify(digits)
            yield category, m.start(), m.end(), f"{why}, said as words"


def spoken_digits(words: str) -> str:
    """The digits a run of number words stands for: 'oh seven double four' -> '0744'."""
    spelled = _REPEAT.sub(
        lambda m: " ".join([m[2]] * (3 if m[1].lower() != "double" else 2)), words
    )
    spelled = re.sub(r"(?i)\b(?:oh|o|nought)\b", "zero", spelled)
    spelled = re.sub(r"(?i)\bplus\b", "+", spelled)
    converted = alpha2digit(spelled.replace("-", " "), "en")
    return re.sub(r"[^\d+]", "", converted)


def _classify(digits: str) -> tuple[str, str]:
    """What a string of digits is: an NHS number, an SSN, or else a phone number."""
    plain = digits.lstrip("+")
    if len(plain) == 10 and nhs.is_valid(plain):
        return "ID", "ten digits that pass the NHS number check"
    if len(plain) == 9 and ssn.is_valid(plain):
        return "SSN", "nine digits that follow the Social Security number rules"
    return "PHONE", f"{len(plain)} digits, the length of a phone number"


def _written(text: str) -> Iterator[Hit]:
    """Numbers written in digits and codes written in capitals."""
    if sum(c.isdigit() for c in text) >= 6:
        phones = list(_phones(text))
        yield from phones
        for m in _DIGITS_RUN.finditer(text):
            digits = re.sub(r"\D", "", m.group())
            if _MONEY_BEFORE.search(text[: m.start()]) or _NOT_PHONE_AFTER.match(text, m.end()):
                continue
            phone = any(a <= m.start() and m.end() <= b for _, a, b, _ in phones)
            if len(digits) == 10 and "-" not in m.group() and nhs.is_valid(digits):
                yield "ID", m.start(), m.end(), "ten digits that pass the NHS number check"
            elif len(digits) == 9 and re.fullmatch(r"\d{3}[ -]\d{2}[ -]\d{4}", m.group()):
                if ssn.is_valid(digits):
                    yield "SSN", m.start(), m.end(), "a number laid out and valid as an SSN"
            elif len(digits) >= 6 and not phone and not m.group().startswith("+"):
                yield "ID", m.start(), m.end(), f"a {len(digits)}-digit number"
        for m in _SSN_KEY.finditer(text):
            yield "SSN", m.start("v"), m.end("v"), "nine digits after 'social security'"
    for pattern, category, why in (
        (_MBI, "ID", "the layout of a Medicare beneficiary identifier"),
        (_NINO, "ID", "the layout of a UK National Insurance number"),
        (_VEHICLE, "VEHICLE", "the layout of a UK vehicle registration"),
        (_CODE, "ID", "a code of capitals and four or more digits"),
    ):
        for m in pattern.finditer(text):
            yield category, m.start(), m.end(), why
    for m in _PLATE.finditer(text):
        yield "VEHICLE", m.start("v"), m.end("v"), "a plate after 'plate' or 'reg'"
    for m in _ID_KEY.finditer(text):
        yield "ID", m.start("v"), m.end("v"), "a number after an ID keyword"


def _phones(text: str) -> Iterator[Hit]:
    """National and international numbers, read as UK and as US numbers."""
    for region in ("GB", "US"):
        matcher = phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.POSSIBLE
        )
        for m in matcher:
            if sum(c.isdigit() for c in m.raw_string) >= 7:
                yield "PHONE", m.start, m.end, f"a phone number ({region} or international)"
