"""De-identification detectors: every category, whole-word spans, clean talk, offline data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ipt_fidelity.content.deid import CATEGORIES, scan
from ipt_fidelity.content.deid.numbers import spoken_digits
from ipt_fidelity.content.deid.text import widen, words
from ipt_fidelity.content.importers import ImportedTranscript, RawTurn, import_file

DATA = Path(__file__).parent / "data" / "transcripts"
PLANTED = yaml.safe_load((DATA / "planted.yaml").read_text(encoding="utf-8"))
LABELS = ["Dr. Maria Lopez", "Tom"]
NAMES = ["Elena", "Will", "Patel"]


def transcript(
    *texts: str, speakers: tuple[str, ...] = ("Therapist", "Client")
) -> ImportedTranscript:
    turns = [
        RawTurn(i, speakers[(i - 1) % len(speakers)], "unknown", None, text)
        for i, text in enumerate(texts, start=1)
    ]
    return ImportedTranscript("text", list(dict.fromkeys(speakers)), turns)


def found(text: str, names: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(f.category, f.text) for f in scan(transcript(text), names)]


def planted_transcript() -> ImportedTranscript:
    return transcript(*(row["text"] for row in PLANTED), speakers=tuple(LABELS))


def test_planted_fixture_covers_every_category():
    assert {row["category"] for row in PLANTED} == set(CATEGORIES)


def test_every_planted_identifier_is_found_whole_with_its_category():
    findings = scan(planted_transcript(), NAMES)
    got = {(f.turn, f.category, f.text) for f in findings}
    missed = [
        (row["category"], row["value"])
        for i, row in enumerate(PLANTED, start=1)
        if not any(n == i and c == row["category"] and str(row["value"]) in t for n, c, t in got)
    ]
    assert missed == []


def test_findings_have_offsets_reasons_and_stable_unique_ids():
    t = planted_transcript()
    first, second = scan(t, NAMES), scan(t, NAMES)
    assert first == second and len({f.id for f in first}) == len(first)
    texts = {turn.n: turn.text for turn in t.turns}
    assert all(texts[f.turn][f.start : f.end] == f.text for f in first)
    assert all(f.reason for f in first)


@pytest.mark.parametrize(
    ("text", "category", "value"),
    [
        ("Then my aunt Philomena rang.", "NAME", "Philomena"),
        ("We met Bartholomew Quigley at the door.", "NAME", "Bartholomew Quigley"),
        ("Lucía Domínguez sent flowers.", "NAME", "Lucía Domínguez"),
        ("It was Mrs. Okwuosa who noticed.", "NAME", "Okwuosa"),
        ("A lad called Ruairí joined.", "NAME", "Ruairí"),
        ("The vicar, Mr de la Cruz, came.", "NAME", "de la Cruz"),
        ("She is a nurse at Wexford General Hospital.", "ORG", "Wexford General Hospital"),
        ("Our GP is at Fernbank Medical Centre.", "ORG", "Fernbank Medical Centre"),
        ("He coaches at Penn State now.", "ORG", "Penn State"),
        ("My mum works for Halvorsen Logistics.", "ORG", "Halvorsen Logistics"),
        ("Our solicitors were Fairweather and Grout.", "ORG", "Fairweather and Grout"),
        ("We met at the Greyhound on Fellgate Road.", "ORG", "Greyhound"),
        ("I nip into the Spar off Linthorpe Lane.", "ORG", "Spar"),
        ("They kept him in at St Bartholomew's.", "ORG", "St Bartholomew's"),
        ("the doctor at st thomas hospital said so", "ORG", "st thomas hospital"),
        ("Our tenancy's with Northmoor Co-op.", "ORG", "Northmoor Co-op"),
        ("Legal Aid of Pinecrest County took it on.", "ORG", "Legal Aid of Pinecrest County"),
        ("I was born in Wolverhampton.", "PLACE", "Wolverhampton"),
        ("They moved to Grand Rapids in June.", "PLACE", "Grand Rapids"),
        ("We used to walk round Alder Park.", "PLACE", "Alder Park"),
        ("She lives at 8 Quarry Close now.", "ADDRESS", "8 Quarry Close"),
        ("Dad's house on Beacon Road is sold.", "ADDRESS", "Beacon Road"),
        ("Post it to 77 Pine St., Apt 2, please.", "ADDRESS", "77 Pine St., Apt 2"),
        ("It's in Springfield, IL 62704.", "ZIP", "62704"),
        ("Mail goes to 02139-4307.", "ZIP", "02139-4307"),
        ("The flat is in M14 5RT.", "ZIP", "M14 5RT"),
        ("Call me on (212) 555 0188 later.", "PHONE", "(212) 555 0188"),
        ("The office is +44 20 7946 0958.", "PHONE", "+44 20 7946 0958"),
        ("Her cousin's is +33 6 12 34 56 78.", "PHONE", "+33 6 12 34 56 78"),
        ("Fax it to 020 7946 0001 please.", "FAX", "020 7946 0001"),
        ("Email me at j.carter@example.com today.", "EMAIL", "j.carter@example.com"),
        ("It's mo dot khan at nhs dot net.", "EMAIL", "mo dot khan at nhs dot net"),
        ("Look at https://example.org/help first.", "URL", "https://example.org/help"),
        ("He sent bit.ly/3xQz9Lm to everyone.", "URL", "bit.ly/3xQz9Lm"),
        ("Find me on TikTok, it's daisyroo_22.", "HANDLE", "daisyroo_22"),
        ("The router said 10.0.0.138 all night.", "IP", "10.0.0.138"),
        ("My MRN 448812 is on the band.", "ID", "448812"),
        ("The hospital number on it is RX7724190.", "ID", "RX7724190"),
        ("They asked for 123-45-6789 twice.", "SSN", "123-45-6789"),
        ("My social security number is 219 09 9998.", "SSN", "219 09 9998"),
        ("Her car is a Polo, reg YA70 PTE.", "VEHICLE", "YA70 PTE"),
        ("It all started on March 3rd.", "DATE", "March 3rd"),
        ("The hearing is Monday 3 February.", "DATE", "Monday 3 February"),
        ("It was back in May of 1989.", "DATE", "May of 1989"),
        ("The interview's on the eleventh.", "DATE", "the eleventh"),
        ("Nan turned ninety-four last week.", "AGE", "ninety-four"),
        ("He's 97 but sharp.", "AGE", "97"),
        ("She's in her late nineties.", "AGE", "late nineties"),
    ],
)
def test_each_category_is_found(text, category, value):
    assert (category, value) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "I was 5 minutes late.",
        "We met in 2019 and again in 2021.",
        "It's just the two of us.",
        "Back in session 3 you said that.",
        "May I ask how that felt?",
        "I said 'Will you stop?' and left.",
        "I'd give it a 5/10, maybe 6/10.",
        "About 1/2 of the time, maybe 3/4.",
        "It was 10:30 when she called.",
        "We talked for 90 minutes.",
        "The music of the 90s was better.",
        "My dad is 62 and she is 58.",
        "I scored 93 percent on the test.",
        "It takes 45 minutes, 3 times a week.",
        "We earned 45000 a year back then.",
        "In March it got worse, in May it improved.",
        "Room 12 on the 3rd floor.",
        "Call me when you can.",
        "My number one worry is money.",
        "Mum and Dad came on Tuesday.",
        "We watched Love Actually and then Breaking Bad.",
        "She put on Bohemian Rhapsody and cried.",
        "The sertraline is 100 mg, two 50 mg tablets.",
        "My PHQ-9 was 14 and the GAD-7 was 11.",
        "Killing two birds with one stone, as Nan says.",
        "It's like a bad episode of Grey's Anatomy.",
        "We went to Spain and then to Texas.",
        "He went quiet, then called it a night.",
        "Oh, quiet, love. Very quiet.",
        "Weirdly, it helped. Calmer now.",
        "Let's meet on the first Monday of the month.",
        "The man called me back on Wednesdays.",
        "The Bible on the shelf was Nan's.",
        "I got legal aid in the end.",
    ],
)
def test_no_findings_in_everyday_phrases(text):
    assert found(text) == []


def test_clean_therapy_talk_has_no_findings():
    session = import_file(DATA / "clean_session.txt")
    assert scan(session) == []
    # an everyday-word name the reviewer adds is found only where it can be a name
    findings = scan(session, ["Will", "Grace", "May", "Hope"])
    assert [(f.category, f.text) for f in findings] == [("NAME", "Hope")]


# Organisations written after the ORG rules of issue 15 and apart from bench/deid_corpus: none
# of these names or sentences is in the corpus or was used to write the rules. On their first
# run 18 of 20 were found (3 before those rules); 'Masjid Noor-ul-Islam' (found, as NAME) and
# 'st aidan's church' (missed) were then fixed.
HELD_OUT_ORGS = [
    ("She spent a month in Wharfedale General Hospital.", "Wharfedale General Hospital"),
    ("The twins are both at Hollybank Infants now.", "Hollybank Infants"),
    ("He drives a van for Kestrel Removals.", "Kestrel Removals"),
    ("I've done twelve years at Ormsby Dairies Ltd.", "Ormsby Dairies Ltd"),
    ("She was a receptionist at Pemberton Okafor LLP.", "Pemberton Okafor LLP"),
    ("The rent goes to Larchfield Homes every month.", "Larchfield Homes"),
    ("Dad's at Elmcroft Nursing Home since Easter.", "Elmcroft Nursing Home"),
    ("They did the scan at St Cuthbert's in the end.", "St Cuthbert's"),
    ("Mum was moved to the Royal Gwent on Friday.", "Royal Gwent"),
    ("We go to Masjid Noor-ul-Islam for Jummah.", "Masjid Noor-ul-Islam"),
    ("Her worker is from Family Services of Tarrow County.", "Family Services of Tarrow County"),
    ("My sister trained at Brayford Sixth Form.", "Brayford Sixth Form"),
    ("The Kingsmere and Doyle Partnership did it.", "Kingsmere and Doyle Partnership"),
    ("I help at Ashgrove Community Pantry Co-op.", "Ashgrove Community Pantry Co-op"),
    ("We had the wake at the Wheatsheaf Inn.", "Wheatsheaf Inn"),
    ("they transferred her to hallamshire hospital that night", "hallamshire hospital"),
    ("he was a porter at st helier hospital for years", "st helier hospital"),
    ("she teaches at burnside primary school", "burnside primary school"),
    ("my dad was in airedale general hospital for a week", "airedale general hospital"),
    ("the food bank at st aidan's church helps us", "st aidan's church"),
]


@pytest.mark.parametrize(("text", "value"), HELD_OUT_ORGS)
def test_held_out_organisations_are_found_whole(text, value):
    assert ("ORG", value) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "I went back to the hospital on Tuesday and the school on Friday.",
        "The Job Centre rang again about my claim.",
        "She goes to a Sunday School at the church.",
        "My GP Surgery is always full.",
        "The children's hospital was brilliant with him.",
        "We had a drink on St George's Day.",
        "I tried St John's Wort before the sertraline.",
        "He's in the Intensive Care Unit.",
        "i went to the dental hospital and then the eye clinic",
        "the paediatric clinic is on the second floor",
        "They always do a Legal Aid form for it.",
        "The Royal Family were on the news.",
        "We went to the Garden Centre for compost.",
        "She's in the Church of Scotland.",
        "It's under the Mental Health Act, so A&E kept him.",
    ],
)
def test_kinds_of_service_are_not_organisations(text):
    assert found(text) == []


def test_names_are_redacted_whole_never_a_fragment():
    t = transcript("Dr. Zoë Adebayo-Smith came, and O'Neill's sister too.")
    spans = [(f.text, f.category) for f in scan(t)]
    assert ("Zoë Adebayo-Smith", "NAME") in spans and ("O'Neill", "NAME") in spans


def test_a_name_found_once_is_found_everywhere_in_the_session():
    t = transcript("My cousin Gwenllian phoned.", "Gwenllian was upset.", "gwenllian again")
    assert [(f.turn, f.text) for f in scan(t)] == [
        (1, "Gwenllian"),
        (2, "Gwenllian"),
        (3, "gwenllian"),
    ]


def test_listed_names_match_whole_words_in_any_case():
    t = transcript("Maria's mum, MARIA, maria. Jean-Luc too, not Jean-Lucas.")
    texts = [f.text for f in scan(t, ["Maria", "Jean-Luc"])]
    assert texts[:4] == ["Maria", "MARIA", "maria", "Jean-Luc"]


def test_speaker_labels_give_names_and_role_words_do_not():
    t = transcript(
        "The therapist and the client. Speaker one. Then José said so.",
        speakers=("Therapist", "SPEAKER_00", "Speaker 1", "José Ortiz (he/him)"),
    )
    assert [(f.category, f.text) for f in scan(t)] == [("NAME", "José")]


@pytest.mark.parametrize(
    ("said", "digits"),
    [
        ("oh seven seven double oh nine", "077009"),
        ("treble two one", "2221"),
        ("plus four four twenty", "+4420"),
        ("six one four, five five five", "614555"),
    ],
)
def test_spoken_numbers_become_digits(said, digits):
    assert spoken_digits(said) == digits


def test_spans_widen_to_whole_words_and_stop_before_a_possessive():
    text = "Dr. Zoë Adebayo-Smith's notes"
    assert widen(text, 5, 6) == (4, 7)
    assert widen(text, 10, 15) == (8, 21)
    assert [w.text for w in words(text)] == ["Dr", "Zoë", "Adebayo-Smith", "notes"]


def test_overlapping_detectors_report_one_finding():
    assert found("Fax number: 555.201.9900. Mail joe.bloggs@site.org.") == [
        ("FAX", "555.201.9900"),
        ("EMAIL", "joe.bloggs@site.org"),
    ]


def test_the_scan_reads_no_network(tmp_path):
    script = (
        "import socket\n"
        "def refuse(*a, **k):\n    raise OSError('network used')\n"
        "socket.socket.connect = refuse\nsocket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from ipt_fidelity.content.deid import scan\n"
        "from ipt_fidelity.content.importers import import_bytes\n"
        "data = b'Therapist: Hi.\\nClient: I moved to Leeds, call 07700 900123.\\n'\n"
        "t = import_bytes(data, 'a.txt')\n"
        "print(sorted({f.category for f in scan(t)}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['PHONE', 'PLACE']"


FILLER = st.lists(
    st.sampled_from(["I", "felt", "so", "tired", "after", "work", "and", "we", "argued", "again"]),
    min_size=0,
    max_size=8,
).map(" ".join)
IDENTIFIER = st.one_of(
    st.builds(
        "{}-{}-{}".format, *(st.integers(201, 989), st.integers(200, 999), st.integers(1000, 9999))
    ).map(lambda s: ("PHONE", s)),
    st.from_regex(r"[a-z]{2,8}\.[a-z]{2,8}@[a-z]{3,8}\.(com|org)", fullmatch=True).map(
        lambda s: ("EMAIL", s)
    ),
    st.builds("MRN {}".format, st.integers(10000, 99999999)).map(lambda s: ("ID", s[4:])),
    st.builds(
        "{}/{}/20{:02d}".format, st.integers(1, 12), st.integers(1, 28), st.integers(0, 30)
    ).map(lambda s: ("DATE", s)),
)


@settings(max_examples=100, deadline=None)
@given(FILLER, IDENTIFIER, FILLER)
def test_planted_identifier_anywhere_in_speech_is_found(before, planted, after):
    category, value = planted
    shown = f"MRN {value}" if category == "ID" else value
    assert (category, value) in found(f"{before} {shown} {after}".strip())
