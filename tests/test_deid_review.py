"""Redaction and review: numbered placeholders, whole-word redaction, reviewer decisions."""

from __future__ import annotations

import pytest

from ipt_fidelity.content.deid import Finding, ReviewDecisions, placeholders, redact, scan
from ipt_fidelity.content.importers import ImportedTranscript, RawTurn


def transcript(*texts: str, speakers=("Therapist", "Client"), roles=None) -> ImportedTranscript:
    turns = [
        RawTurn(
            i,
            speakers[(i - 1) % len(speakers)],
            roles[i - 1] if roles else "unknown",
            None,
            text,
        )
        for i, text in enumerate(texts, start=1)
    ]
    return ImportedTranscript("text", list(dict.fromkeys(speakers)), turns)


def redacted(t: ImportedTranscript, names=()) -> list[str]:
    return [turn.text for turn in redact(t, scan(t, names)).turns]


def test_the_whole_name_is_redacted_never_a_fragment():
    t = transcript("I saw Dr. Zoë Adebayo-Smith on the ward.")
    assert redacted(t) == ["I saw Dr. [NAME 1] on the ward."]


def test_one_person_keeps_one_number_through_the_session():
    t = transcript(
        "My sister Ngaire Whitcombe rang, and so did my friend Tobias.",
        "What did Ngaire say?",
        "Ms Whitcombe said nothing. Tobias's mum sent flowers.",
    )
    assert redacted(t) == [
        "My sister [NAME 1] rang, and so did my friend [NAME 2].",
        "What did [NAME 1] say?",
        "Ms [NAME 1] said nothing. [NAME 2]'s mum sent flowers.",
    ]


def test_an_organisation_is_redacted_whole_with_one_number():
    t = transcript(
        "Mum was in St Cuthbert's, then Wharfedale General Hospital.",
        "Was St Cuthbert's better than Wharfedale General Hospital?",
    )
    assert redacted(t) == [
        "Mum was in [ORG 1], then [ORG 2].",
        "Was [ORG 1] better than [ORG 2]?",
    ]


def test_other_categories_are_numbered_by_value():
    t = transcript(
        "Call 07700 900123 or 07700 900456.",
        "So 07700 900123 is the mobile, and it started on March 3rd.",
    )
    assert redacted(t) == [
        "Call [PHONE 1] or [PHONE 2].",
        "So [PHONE 1] is the mobile, and it started on [DATE 1].",
    ]


def test_placeholders_number_in_order_of_first_appearance():
    findings = [
        Finding("NAME", "Ada", 2, 0, 3),
        Finding("NAME", "Ben Holt", 1, 0, 8),
        Finding("NAME", "Mr Holt", 3, 0, 7),
    ]
    labels = placeholders(findings)
    assert [labels[f.id] for f in findings] == ["[NAME 2]", "[NAME 1]", "[NAME 1]"]


def test_redact_merges_overlapping_spans_under_the_longer_one():
    t = transcript("Write to 42 Elm Street, Springfield, IL 62704 today.")
    spans = [
        Finding("ADDRESS", "42 Elm Street, Springfield, IL", 1, 9, 39),
        Finding("ZIP", "IL 62704", 1, 37, 45),
        Finding("NAME", "Elm", 1, 12, 15),
    ]
    assert redact(t, spans).turns[0].text == "Write to [ADDRESS 1] today."


def test_redact_renames_speakers_whose_labels_hold_names():
    roles = ["therapist", "client", "client", "therapist"]
    t = transcript(
        "Hi.", "Hello.", "Hey.", "Mm.", speakers=("Dr. Ana Ruiz", "Ben", "Cleo", "T"), roles=roles
    )
    out = redact(t, [])
    assert [x.speaker for x in out.turns] == ["Therapist", "Client 1", "Client 2", "T"]
    assert out.speakers == ["Therapist", "Client 1", "Client 2", "T"]


def test_redact_refuses_a_finding_from_another_transcript():
    with pytest.raises(ValueError, match="does not match turn 1"):
        redact(transcript("Nothing here."), [Finding("NAME", "Tom", 1, 0, 3)])


def test_the_input_transcript_is_left_unchanged():
    t = transcript("Call Dr. Lopez on 555-201-3344.")
    redact(t, scan(t))
    assert t.turns[0].text == "Call Dr. Lopez on 555-201-3344."


# ---------------------------------------------------------------- reviewer decisions


def review_case() -> tuple[ImportedTranscript, ReviewDecisions]:
    t = transcript(
        "My cat Biscuit and my friend Oksana came round on March 3rd.",
        "Did Oksana stay? And Biscuit?",
    )
    return t, ReviewDecisions.of(scan(t))


def test_every_finding_is_flagged_with_a_reason_until_the_reviewer_unflags_it():
    t, decisions = review_case()
    assert [(f.category, f.text) for f in decisions.accepted] == [
        ("NAME", "Oksana"),
        ("DATE", "March 3rd"),
        ("NAME", "Oksana"),
    ]
    assert all(f.reason for f in decisions.findings)
    date = next(f for f in decisions.findings if f.category == "DATE")
    kept = decisions.unflag([date.id])
    assert "March 3rd" in redact(t, kept.accepted).turns[0].text
    assert kept.counts() == {"removed": 1, "added": 0}
    assert kept.restore([date.id]).counts() == {"removed": 0, "added": 0}


def test_the_reviewer_adds_a_missed_value_everywhere_or_one_span():
    t, decisions = review_case()
    added = decisions.add_text(t, "biscuit", "name")
    assert [(f.turn, f.text, f.reason) for f in added.added] == [
        (1, "Biscuit", "added by the reviewer"),
        (2, "Biscuit", "added by the reviewer"),
    ]
    out = redact(t, added.accepted)
    assert [turn.text for turn in out.turns] == [
        "My cat [NAME 1] and my friend [NAME 2] came round on [DATE 1].",
        "Did [NAME 2] stay? And [NAME 1]?",
    ]
    one = decisions.add_span(t, turn=1, start=8, end=10, category="NAME")
    assert [(f.text, f.start, f.end) for f in one.added] == [("Biscuit", 7, 14)]
    assert added.counts() == {"removed": 0, "added": 2}


def test_adding_a_span_the_scan_already_has_adds_nothing():
    t, decisions = review_case()
    assert decisions.add_text(t, "Oksana", "NAME").counts() == {"removed": 0, "added": 0}


def test_an_added_span_can_be_unflagged_again():
    t, decisions = review_case()
    added = decisions.add_text(t, "Biscuit", "NAME", turn=2)
    assert added.unflag([added.added[0].id]).counts() == {"removed": 0, "added": 0}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda t, d: d.unflag(["name-9-0-3"]), "no finding with id name-9-0-3"),
        (lambda t, d: d.add_text(t, "Rover", "NAME"), "'Rover' does not occur"),
        (lambda t, d: d.add_text(t, "  ", "NAME"), "give the text"),
        (lambda t, d: d.add_text(t, "Biscuit", "PET"), "unknown category 'PET'"),
        (lambda t, d: d.add_text(t, "Biscuit", "NAME", turn=7), "there is no turn 7"),
        (lambda t, d: d.add_span(t, 1, 50, 500, "NAME"), "turn 1 has no characters 50-500"),
        (lambda t, d: d.add_span(t, 9, 0, 2, "NAME"), "there is no turn 9"),
    ],
)
def test_bad_review_decisions_fail_with_one_clear_message(call, message):
    t, decisions = review_case()
    with pytest.raises(ValueError, match=message):
        call(t, decisions)
