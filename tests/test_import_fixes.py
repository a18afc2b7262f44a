"""Importer loose ends: headings and metadata, UTF-16 without a BOM, speakers for plain Whisper
output, and sessions that keep every role (co-therapy, groups, interpreters)."""

from __future__ import annotations

import argparse
import io
import json

import docx
import pytest
import yaml

from ipt_fidelity.commands import transcripts
from ipt_fidelity.content.importers import (
    RoleMappingError,
    TranscriptImportError,
    assign_speakers,
    import_bytes,
    map_roles,
    session_yaml,
    set_speaker,
    to_session,
)

SESSION = {"id": "s1", "case": "imported", "session_number": 2, "phase": "initial"}


def docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def bold(document, speaker: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(speaker).bold = True
    paragraph.add_run(text)


def whisper(*segments: tuple[float, float, str]) -> bytes:
    data = {"segments": [{"start": a, "end": b, "text": f" {t}"} for a, b, t in segments]}
    return json.dumps(data).encode()


# ---------------------------------------------------------------- headings and metadata


def test_docx_headings_titles_and_metadata_lines_are_never_turns():
    def build(d):
        d.add_heading("Session 6 transcript", level=0)
        d.add_paragraph("Recorded on Zoom, 50 minutes")
        d.add_paragraph("Date: 4 May")
        d.add_heading("Part one", level=2)
        bold(d, "Therapist:", " Where shall we start?")
        d.add_paragraph("Duration: 50 min")
        bold(d, "Client:", " With my sister.")

    t = import_bytes(docx_bytes(build), "s6.docx")
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("Therapist", "Where shall we start?"),
        ("Client", "With my sister."),
    ]
    assert t.title == "Session 6 transcript"
    assert t.warnings == ["4 heading or metadata line(s) left out"]


def test_docx_without_a_heading_takes_its_first_line_as_the_title():
    def build(d):
        d.add_paragraph("Transcript of session 3")
        d.add_paragraph("Therapist: Hello.")
        d.add_paragraph("Client: Hi.")

    t = import_bytes(docx_bytes(build), "s3.docx")
    assert t.title == "Transcript of session 3" and len(t.turns) == 2 and t.warnings == []


def test_text_metadata_labels_are_left_out():
    data = b"Date: 4 May\nSession: 6\nTherapist: Hello.\nNote: audio dropped here\nClient: Hi.\n"
    t = import_bytes(data, "s.txt")
    assert [(x.speaker, x.text) for x in t.turns] == [("Therapist", "Hello."), ("Client", "Hi.")]
    assert t.warnings == ["3 metadata line(s) left out"]


def test_a_file_of_metadata_only_is_refused_clearly():
    with pytest.raises(TranscriptImportError, match="no speaker labels"):
        import_bytes(b"Date: 4 May\nSession: 6\n", "meta.txt")


# ---------------------------------------------------------------- UTF-16 without BOM


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(encoding):
    text = "Therapist: How’s the week been?\r\nClient: Café, and “tears”.\r\n"
    t = import_bytes(text.encode(encoding), "windows.txt")
    assert [x.text for x in t.turns] == ["How’s the week been?", "Café, and “tears”."]


def test_binary_with_zero_bytes_is_still_binary():
    with pytest.raises(TranscriptImportError, match="binary"):
        import_bytes(bytes(range(256)) * 8, "noise.txt")


# ---------------------------------------------------------------- Whisper speakers


PLAIN = whisper(
    (0.0, 2.0, "How has the week been?"),
    (2.3, 4.0, "Hard, honestly."),
    (4.2, 6.0, "My sister called."),
    (7.5, 9.0, "What did she say?"),
    (10.8, 12.0, "That I never visit."),
)


def test_plain_whisper_output_has_no_speakers_until_assigned():
    t = import_bytes(PLAIN, "call.json")
    assert t.format == "whisper" and t.speakers == []
    assert [x.end for x in t.turns] == [2.0, 4.0, 6.0, 9.0, 12.0]


def test_speakers_by_alternation():
    t = assign_speakers(import_bytes(PLAIN, "call.json"), "alternate")
    assert [x.speaker for x in t.turns] == [
        "Speaker 1",
        "Speaker 2",
        "Speaker 1",
        "Speaker 2",
        "Speaker 1",
    ]
    assert t.speakers == ["Speaker 1", "Speaker 2"]
    assert "check each turn" in t.warnings[-1]


def test_speakers_by_pause_change_only_after_a_long_silence():
    t = assign_speakers(import_bytes(PLAIN, "call.json"), "pause", pause=1.0)
    assert [x.speaker for x in t.turns] == [
        "Speaker 1",
        "Speaker 1",
        "Speaker 1",
        "Speaker 2",
        "Speaker 1",
    ]


def test_a_reviewer_corrects_turn_by_turn_and_maps_roles():
    t = assign_speakers(import_bytes(PLAIN, "call.json"), "pause", pause=1.0)
    for turn, label in ((2, "Speaker 2"), (3, "Speaker 2"), (4, "Speaker 1"), (5, "Speaker 2")):
        t = set_speaker(t, turn, label)
    mapped = map_roles(t, "Speaker 1")
    session = to_session(mapped, fidelity="mixed", **SESSION)
    assert [x.speaker for x in session.turns] == [
        "therapist",
        "client",
        "client",
        "therapist",
        "client",
    ]
    assert [x.n for x in session.turns] == [1, 2, 3, 4, 5]  # segments are never merged


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda t: assign_speakers(t, "voices"), "unknown speaker assignment 'voices'"),
        (lambda t: assign_speakers(t, "pause", pause=0), "positive number of seconds"),
        (lambda t: assign_speakers(t, "alternate", count=1), "at least two speakers"),
        (lambda t: set_speaker(t, 99, "Speaker 1"), "there is no turn 99"),
        (lambda t: set_speaker(t, 1, "  "), "give the speaker's label"),
    ],
)
def test_bad_speaker_assignment_fails_clearly(call, message):
    with pytest.raises(RoleMappingError, match=message):
        call(import_bytes(PLAIN, "call.json"))


def test_assignment_refuses_labelled_or_untimed_transcripts():
    labelled = import_bytes(b"Therapist: Hello.\nClient: Hi.\n", "a.txt")
    with pytest.raises(RoleMappingError, match="already has speaker labels"):
        assign_speakers(labelled, "alternate")
    untimed = import_bytes(
        json.dumps({"segments": [{"text": "Hi."}, {"text": "Hey."}]}).encode(), "u.json"
    )
    with pytest.raises(RoleMappingError, match="needs a start time"):
        assign_speakers(untimed, "pause")
    assert [x.speaker for x in assign_speakers(untimed, "alternate").turns] == [
        "Speaker 1",
        "Speaker 2",
    ]


# ---------------------------------------------------------------- every role kept


GROUP = (
    b"Facilitator: Welcome, everyone.\nCo-facilitator: Let's go round.\nAna: It was hard.\n"
    b"Interpreter: She says it was a hard week.\nBen: Mine was better.\nFacilitator: Thank you.\n"
)


def test_group_and_co_therapy_sessions_keep_every_role_with_labels():
    t = import_bytes(GROUP, "group.txt")
    assert [x.role for x in t.turns] == [
        "therapist",
        "therapist",
        "unknown",
        "interpreter",
        "unknown",
        "therapist",
    ]
    mapped = map_roles(t, ["Facilitator", "Co-facilitator"], interpreter=["Interpreter"])
    session = to_session(mapped, fidelity="high", **SESSION)
    assert [(x.speaker, x.label) for x in session.turns] == [
        ("therapist", "Therapist 1"),
        ("therapist", "Therapist 2"),
        ("client", "Client 1"),
        ("interpreter", None),
        ("client", "Client 2"),
        ("therapist", "Therapist 1"),
    ]
    assert "label: Client 2" in session_yaml(session)


def test_a_one_to_one_session_needs_no_labels():
    t = map_roles(import_bytes(b"T: Hello.\nC: Hi.\n", "a.txt"), "T")
    assert [x.label for x in to_session(t, fidelity="high", **SESSION).turns] == [None, None]


def test_a_speaker_cannot_hold_two_roles():
    with pytest.raises(RoleMappingError, match="both the therapist and interpreter"):
        map_roles(import_bytes(GROUP, "group.txt"), ["Facilitator"], interpreter=["facilitator"])
    with pytest.raises(RoleMappingError, match="at least one therapist"):
        map_roles(import_bytes(GROUP, "group.txt"), [])


# ---------------------------------------------------------------- command line


def run(capsys, *argv) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="ipt-fidelity")
    transcripts.register(parser.add_subparsers())
    args = parser.parse_args([str(a) for a in argv])
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_assigns_and_corrects_speakers_for_plain_whisper(capsys, tmp_path):
    source = tmp_path / "call.json"
    source.write_bytes(PLAIN)
    out_yaml = tmp_path / "s.yaml"
    code, _, err = run(
        capsys,
        "import-transcript",
        source,
        "--assign-speakers",
        "alternate",
        "--set-speaker",
        "3=Speaker 2",
        "--therapist",
        "Speaker 1",
        "-o",
        out_yaml,
        "--fidelity",
        "mixed",
    )
    assert code == 0, err
    assert "speakers assigned by alternation" in err
    turns = [t["speaker"] for t in yaml.safe_load(out_yaml.read_text())["turns"]]
    assert turns == ["therapist", "client", "client", "client", "therapist"]


def test_cli_keeps_co_therapists_and_interpreters(capsys, tmp_path):
    source = tmp_path / "group.txt"
    source.write_bytes(GROUP)
    out_yaml = tmp_path / "g.yaml"
    args = ["--therapist", "Facilitator", "Co-facilitator", "--interpreter", "Interpreter"]
    code, _, err = run(
        capsys, "import-transcript", source, *args, "-o", out_yaml, "--fidelity", "high"
    )
    assert code == 0, err
    assert out_yaml.read_text().count("speaker: interpreter") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set-speaker", "three=Speaker 2"], "write TURN=LABEL"),
        (["--assign-speakers", "pause", "--pause", "-1"], "positive number of seconds"),
        (["--interpreter", "Speaker 1"], "need --therapist"),
    ],
)
def test_cli_speaker_options_fail_with_one_line(capsys, tmp_path, args, message):
    source = tmp_path / "call.json"
    source.write_bytes(PLAIN)
    if "--assign-speakers" not in args:
        args = ["--assign-speakers", "alternate", *args]
    code, _, err = run(capsys, "import-transcript", source, *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) <= 2
