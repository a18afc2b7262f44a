"""Regular-expression detectors for the identifiers that have a shape: numbers, dates, places.

A pattern with a group named `v` reports only that group, so context words ("MRN", "zip code",
"fax") help find a value without being redacted themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
)
_ORDINAL = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth"
    r"|twenty[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|thirtieth|thirty[- ]first)"
)
_DAY = rf"(?:(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)|{_ORDINAL})"
_YEAR = r"(?:,?\s+(?:19|20)\d{2}\b)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_AGE = (
    r"(?:9\d|1[01]\d|ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|(?:a|one) hundred(?: and (?:one|two|three|four|five|six|seven|eight|nine|ten))?)"
)
_SUFFIX = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Place|Pl|Way"
    r"|Terrace|Close|Crescent|Circle|Square|Parkway|Pkwy|Highway|Hwy|Row|Gardens|Grove|Mews)"
)
_STATE = (
    r"(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI"
    r"|S[CD]|T[NX]|UT|V[AT]|W[AIVY])"
)
_UK_POSTCODE = r"(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s+\d[ABD-HJLNP-UW-Z]{2})"
_ID_KEY = (
    r"(?:medical record|MRN|chart|patient|member(?:ship)?|account|acct|policy|insurance"
    r"|subscriber|beneficiary|health plan|NHS|hospital|claim|licen[cs]e|passport|certificate"
    r"|serial|plate|registration|ID)"
)
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (category, re.compile(pattern))
    for category, pattern in (
        ("EMAIL", r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
        ("URL", r"(?i:\b(?:https?://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]])"),
        (
            "URL",
            r"(?i:(?<![@\w.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*"
            r"\.(?:co\.uk|org\.uk|nhs\.uk|com|org|net|edu|gov|io|info|ai)\b"
            r"(?:/(?:[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?)?)",
        ),
        ("IP", rf"(?<![\d.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\d.]*\d)"),
        ("IP", r"(?i:(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:]))"),
        ("IP", r"(?i:(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?)"),
        ("SSN", r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b"),
        (
            "SSN",
            r"(?i:\b(?:social security|SSN|social)\b)\D{0,20}?(?P<v>\d{3}[ .-]?\d{2}[ .-]?\d{4})\b",
        ),
        (
            "PHONE",
            r"(?<![\w+])(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}\b",
        ),
        ("PHONE", r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)\d{2,4}[ ]?\d{3,4}[ ]?\d{3,4}\b"),
        ("PHONE", r"(?<![\w+])\+\d{1,3}[ .-]?\(?\d{1,4}\)?(?:[ .-]?\d{2,4}){2,4}\b"),
        (
            "PHONE",
            r"(?i:\b(?:phone|cell|mobile|tel|telephone|number|call(?: me)?|text(?: me)?"
            r"|reach (?:me|her|him)|ring(?: me)?)(?: (?:on|at|is))?)[^\d\n]{0,12}"
            r"(?P<v>\+?\d(?:[ .-]?\d){6,14})\b",
        ),
        ("FAX", r"(?i:\bfax\b)[^\d\n]{0,30}(?P<v>\+?\d(?:[ ().-]{0,2}\d){6,14})\b"),
        ("DATE", rf"\b{_MONTH}\s+(?:the\s+)?{_DAY}\b{_YEAR}?"),
        ("DATE", rf"(?i:\bthe\s+)?\b{_DAY}\s+(?:of\s+)?{_MONTH}(?![a-z]){_YEAR}?"),
        ("DATE", rf"\b{_MONTH}\s+(?:19|20)\d{{2}}\b"),
        ("DATE", rf"\b{_WEEKDAY}\s+the\s+{_DAY}\b"),
        (
            "DATE",
            r"\b(?:[12]\d|3[01]|0?[1-9])(?P<s>[/.-])(?:[12]\d|3[01]|0?[1-9])(?P=s)(?:19|20)?\d{2}\b",
        ),
        ("DATE", r"\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b"),
        ("AGE", rf"(?i:\b(?P<v>{_AGE})(?:[- ]?(?:years?|yrs?)[- ]?old|[- ]?y/?o)\b)"),
        (
            "AGE",
            rf"(?i:\b(?:aged?|turned|turning|turns|just turned)\s+(?P<v>{_AGE})\b"
            r"(?!\s*(?:degrees|%|percent|minutes|mins|seconds|times|pounds|dollars|miles|km)))",
        ),
        (
            "AGE",
            r"(?i:\b(?:his|her|their|my)\s+(?P<v>(?:late |early |mid[- ])?(?:nineties|90'?s)))\b",
        ),
        (
            "ADDRESS",
            rf"\b\d{{1,5}}[A-Za-z]?\s+(?:[A-Z][a-z]*\.?\s+){{1,3}}{_SUFFIX}\b\.?"
            r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|Flat|#)\.?\s*\w+)?",
        ),
        ("ADDRESS", r"(?i:\b(?:P\.?\s?O\.?\s+Box|Post Office Box)\s+\d+\b)"),
        (
            "ADDRESS",
            r"\b(?:on|at|off|near)\s+(?P<v>(?:[A-Z][a-z]+\s+){1,2}"
            r"(?:Street|Road|Avenue|Lane|Drive|Boulevard|Terrace|Crescent|Close))\b",
        ),
        ("ZIP", r"\b\d{5}-\d{4}\b"),
        ("ZIP", rf"\b{_STATE}\s+(?P<v>\d{{5}})\b"),
        (
            "ZIP",
            r"(?i:\b(?:zip|zip code|zipcode|postal code|postcode|post code)\b)\W{0,6}(?:is\s+)?"
            rf"(?P<v>\d{{5}}(?:-\d{{4}})?|{_UK_POSTCODE})",
        ),
        ("ZIP", rf"\b{_UK_POSTCODE}\b"),
        (
            "ID",
            rf"(?i:\b{_ID_KEY}\b(?:\s+(?:number|no\.?|num|#|ID|code))?(?:\s+(?:is|was))?[\s:#]*)"
            r"(?P<v>(?=[A-Za-z-]*\d(?:[A-Za-z-]*\d|\s\d){3})[A-Za-z0-9][A-Za-z0-9-]*(?:\s\d[A-Za-z0-9-]*){0,3})",
        ),
    )
)


def matches(text: str) -> Iterator[tuple[str, int, int]]:
    """Every (category, start, end) the patterns report in a text, overlaps included."""
    for category, pattern in PATTERNS:
        for m in pattern.finditer(text):
            group = "v" if "v" in pattern.groupindex else 0
            if m.start(group) < m.end(group):
                yield category, m.start(group), m.end(group)
