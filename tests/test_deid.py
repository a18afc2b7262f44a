"""De-identification: recall on planted identifiers, false positives on clean talk, redaction."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ipt_fidelity.content.deid import CATEGORIES, Finding, redact, scan
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


def planted_transcript() -> ImportedTranscript:
    return transcript(*(row["text"] for row in PLANTED), speakers=tuple(LABELS))


def test_planted_corpus_covers_every_category():
    assert {row["category"] for row in PLANTED} == set(CATEGORIES)


def test_recall_on_planted_identifiers_is_complete_in_every_category():
    findings = scan(planted_transcript(), NAMES)
    found = {(f.turn, f.category, f.text) for f in findings}
    missed = [
        row
        for i, row in enumerate(PLANTED, start=1)
        if (i, row["category"], str(row["value"])) not in found
    ]
    assert missed == []
    assert len(findings) == len(PLANTED)  # and nothing else in those sentences


def test_clean_therapy_talk_has_near_zero_findings():
    session = import_file(DATA / "clean_session.txt")
    assert scan(session) == []
    # everyday-word names the reviewer adds: lower-case uses and "Will you" / "May I" stay clean;
    # "Hope is part of the work" cannot be told from a person called Hope, so it is reported
    findings = scan(session, ["Will", "Grace", "May", "Hope"])
    assert [(f.category, f.text) for f in findings] == [("NAME", "Hope")]


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
        "Tomorrow, Tommy and Atom came by.",
        "There's a 1 in 5 chance.",
    ],
)
def test_no_findings_in_everyday_phrases(text):
    assert scan(transcript(text, speakers=("Tom", "Dr. Maria Lopez")), ["Will"]) == []


def test_names_whole_word_any_case_and_possessive():
    t = transcript("Maria's mum, MARIA, maria. Marian and Mariano are not her. Jean-Luc too.")
    findings = scan(t, ["Maria", "Jean-Luc"])
    assert [f.text for f in findings] == ["Maria", "MARIA", "maria", "Jean-Luc"]


def test_names_from_labels_skip_role_words_and_generic_labels():
    t = transcript(
        "The therapist and the client. Speaker one. Ms Okafor and José said so.",
        speakers=("Therapist", "SPEAKER_00", "Speaker 1", "José Ortiz (he/him)"),
    )
    assert [(f.category, f.text) for f in scan(t)] == [("NAME", "Okafor"), ("NAME", "José")]


def test_titles_and_kin_words_in_the_names_list_are_not_names_themselves():
    t = transcript("My aunt rang the doctor. Aunt Bea came with Dr. Sarah Jones.")
    findings = scan(t, ["Aunt Bea", "Dr. Sarah Jones"])
    assert [f.text for f in findings] == ["Bea", "Sarah Jones"]


def test_findings_have_offsets_into_the_turn_and_stable_unique_ids():
    t = planted_transcript()
    first, second = scan(t, NAMES), scan(t, NAMES)
    assert first == second and [f.id for f in first] == [f.id for f in second]
    assert len({f.id for f in first}) == len(first)
    texts = {turn.n: turn.text for turn in t.turns}
    assert all(texts[f.turn][f.start : f.end] == f.text for f in first)


def test_overlapping_detectors_report_one_finding():
    t = transcript("Account number 12345678. Fax number: 555.201.9900. Mail joe.bloggs@site.org.")
    assert [(f.category, f.text) for f in scan(t)] == [
        ("ID", "12345678"),
        ("FAX", "555.201.9900"),
        ("EMAIL", "joe.bloggs@site.org"),
    ]


def test_redact_replaces_accepted_findings_and_extra_names():
    t = transcript("Call Dr. Lopez on 555-201-3344 before March 3rd.", "Sure, and Grace will come.")
    findings = scan(t)
    accepted = [f for f in findings if f.category != "DATE"]  # reviewer rejected the date
    out = redact(t, accepted, extra_names=["Grace"])
    assert [x.text for x in out.turns] == [
        "Call Dr. [NAME] on [PHONE] before March 3rd.",
        "Sure, and [NAME] will come.",
    ]
    assert t.turns[0].text.startswith("Call Dr. Lopez")  # the input is left unchanged


def test_redact_merges_overlapping_spans_under_the_longer_category():
    t = transcript("Write to 42 Elm Street, Springfield, IL 62704 today.")
    spans = [
        Finding("ADDRESS", "42 Elm Street, Springfield, IL", 1, 9, 39),
        Finding("ZIP", "IL 62704", 1, 37, 45),
        Finding("NAME", "Elm", 1, 12, 15),
    ]
    assert redact(t, spans).turns[0].text == "Write to [ADDRESS] today."


def test_redact_renames_speakers_whose_labels_hold_names():
    t = transcript("Hi.", "Hello.", "Hey.", "Mm.", speakers=("Dr. Ana Ruiz", "Ben", "Cleo", "T"))
    t = ImportedTranscript(
        "text",
        t.speakers,
        [
            RawTurn(x.n, x.speaker, r, None, x.text)
            for x, r in zip(t.turns, ["therapist", "client", "client", "therapist"], strict=True)
        ],
    )
    out = redact(t, [])
    assert [x.speaker for x in out.turns] == ["Therapist", "Client 1", "Client 2", "T"]
    assert out.speakers == ["Therapist", "Client 1", "Client 2", "T"]


def test_redact_rejects_a_finding_from_another_transcript():
    with pytest.raises(ValueError, match="does not match turn 1"):
        redact(transcript("Nothing here."), [Finding("NAME", "Tom", 1, 0, 3)])


def test_every_category_redacts_to_its_tag():
    out = redact(planted_transcript(), scan(planted_transcript(), NAMES))
    tags = Counter(tag for turn in out.turns for tag in CATEGORIES if f"[{tag}]" in turn.text)
    assert set(tags) == set(CATEGORIES)
    for row, turn in zip(PLANTED, out.turns, strict=True):
        assert str(row["value"]) not in turn.text


FILLER = st.lists(
    st.sampled_from(["I", "felt", "so", "tired", "after", "work", "and", "we", "argued", "again"]),
    min_size=0,
    max_size=8,
).map(" ".join)
IDENTIFIER = st.one_of(
    st.builds(
        "{}-{}-{}".format, *(st.integers(200, 999), st.integers(200, 999), st.integers(1000, 9999))
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
def test_planted_identifier_anywhere_in_speech_is_found_and_redacted(before, planted, after):
    category, value = planted
    shown = f"MRN {value}" if category == "ID" else value
    t = transcript(f"{before} {shown} {after}".strip())
    findings = scan(t)
    assert [(f.category, f.text) for f in findings] == [(category, value)]
    assert value not in redact(t, findings).turns[0].text
