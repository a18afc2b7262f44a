"""Each transcript format with its edge cases, and format detection."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest

from ipt_fidelity.content.importers import import_bytes, import_file

DATA = Path(__file__).parent / "data" / "transcripts"


def texts(transcript) -> list[tuple[str, str]]:
    return [(t.speaker, t.text) for t in transcript.turns]


# ---------------------------------------------------------------- WebVTT


def test_zoom_vtt_labels_merge_and_bom():
    t = import_file(DATA / "zoom.vtt")
    assert t.format == "vtt"
    assert t.speakers == ["Dr. Maria Lopez", "James Carter"]
    assert [turn.n for turn in t.turns] == [1, 2, 3, 4]
    assert t.turns[0].text == (
        "Good morning. Thanks for logging on today. How has the week been since we last spoke?"
    )
    assert t.turns[1].text.endswith("argued again about the house.")  # two-line payload
    assert [turn.start for turn in t.turns] == [1.02, 8.0, 12.9, 15.4]  # float, not truncated
    assert {turn.role for turn in t.turns} == {"unknown"}
    assert t.warnings == []


def test_teams_vtt_voices_guid_ids_and_dropped_cue():
    t = import_file(DATA / "teams.vtt")
    assert t.speakers == ["Priya Shah", "Sam Okafor"]
    speakers = [turn.speaker for turn in t.turns]
    assert speakers == ["Priya Shah", "Sam Okafor", "Priya Shah", "Sam Okafor"]
    # the voice of the first line covers the second line of the cue
    assert t.turns[0].text.endswith("your move and how lonely the new job feels.")
    # two voices in one cue become two turns with the cue's start
    assert (t.turns[2].text, t.turns[2].start) == ("Mm-hm.", 10.0)
    # a voice with a class (<v.loud Name>)
    assert t.turns[3].text == "Not even at the gym."
    assert t.warnings == ["1 malformed cue(s) skipped: 6 timing lines, 5 cues read"]


def test_vtt_keeps_html_and_script_as_plain_text():
    t = import_file(DATA / "teams.vtt")
    text = t.turns[1].text
    assert "<b>Really</b>" in text  # escaped entities decode to the characters typed
    assert "<script>alert(1)</script>" in text  # unknown tags are not stripped or run


def test_vtt_cue_without_label_continues_previous_speaker():
    data = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnna: Hello.\n\n"
        "00:00:02.500 --> 00:00:03.000\nand welcome.\n\n"
        "00:00:04.000 --> 00:00:05.000\nBo: Hi.\n"
    )
    t = import_bytes(data.encode(), "s.vtt")
    assert texts(t) == [("Anna", "Hello. and welcome."), ("Bo", "Hi.")]


def test_vtt_lower_case_labels_count_only_when_they_recur():
    data = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\niPhone: Can you hear me?\n\n"
        "00:00:03.000 --> 00:00:04.000\nAnna: Yes.\n\n"
        "00:00:05.000 --> 00:00:06.000\niPhone: Good. so: where were we\n\n"
        "00:00:07.000 --> 00:00:08.000\nAnna: Okay.\n\n"
        "00:00:09.000 --> 00:00:10.000\nand then: nothing happened.\n"
    )
    t = import_bytes(data.encode(), "zoom.vtt")
    assert texts(t) == [
        ("iPhone", "Can you hear me?"),
        ("Anna", "Yes."),
        ("iPhone", "Good. so: where were we"),
        ("Anna", "Okay. and then: nothing happened."),
    ]


# ---------------------------------------------------------------- SRT


def test_srt_speaker_prefixes_crlf_and_multiline():
    t = import_file(DATA / "whisperx.srt")
    assert t.format == "srt"
    assert texts(t) == [
        ("SPEAKER_00", "What brings you in today?"),
        ("SPEAKER_01", "Since my mother died I can't sleep. It has been three months."),
        ("SPEAKER_00", "Tell me about her."),
    ]
    assert [turn.start for turn in t.turns] == [0.0, 2.9, 8.5]


def test_srt_with_bom_role_labels_and_unlabelled_cue():
    t = import_file(DATA / "labelled.srt")
    assert texts(t) == [
        ("Therapist", "Shall we start?"),
        ("Client", "Yes, okay. I had a hard week."),
    ]
    assert [turn.role for turn in t.turns] == ["therapist", "client"]


def test_srt_without_any_labels_keeps_cues_apart():
    data = "1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n2\n00:00:03,000 --> 00:00:04,000\nHi.\n"
    t = import_bytes(data.encode(), "plain.srt")
    assert texts(t) == [("", "Hello."), ("", "Hi.")]
    assert t.speakers == []


# ---------------------------------------------------------------- Otter


def test_otter_headers_merge_and_footer_dropped():
    t = import_file(DATA / "otter.txt")
    assert t.format == "otter"
    assert t.speakers == ["Anna Novak", "Ben Ortiz"]
    assert len(t.turns) == 3
    assert t.turns[0].text.endswith("Where would you like to start?")
    assert "5:30" in t.turns[1].text  # a time inside speech is not a header
    assert [turn.start for turn in t.turns] == [2.0, 14.0, 3723.0]
    assert all("otter.ai" not in turn.text for turn in t.turns)


# ---------------------------------------------------------------- Whisper / WhisperX


def test_whisper_json_segments_without_speakers_stay_apart():
    t = import_file(DATA / "whisper.json")
    assert t.format == "whisper"
    assert texts(t) == [
        ("", "How are you feeling this week?"),
        ("", "A bit better, I think."),
        ("", "I went for a walk."),
    ]
    assert [turn.start for turn in t.turns] == [0.0, 2.9, None]


def test_whisperx_json_speakers_and_missing_keys():
    t = import_file(DATA / "whisperx.json")
    assert t.format == "whisperx"
    assert t.speakers == ["SPEAKER_00", "SPEAKER_01"]
    assert texts(t) == [
        ("SPEAKER_00", "What would you like to focus on?"),
        ("SPEAKER_01", "The fights with my husband. They started after the baby."),
        ("SPEAKER_00", "Mm."),
        ("", "And then it got worse."),
    ]
    assert [turn.start for turn in t.turns] == [0.031, 3.1, None, 9.5]
    assert t.warnings == ["1 segment(s) without a speaker label"]


def test_whisperx_forced_as_whisper_ignores_speakers():
    t = import_file(DATA / "whisperx.json", "whisper")
    assert t.format == "whisper" and t.speakers == []


def test_whisper_bare_segment_list_and_bad_start_values():
    data = json.dumps([{"text": "Hi", "start": "soon"}, {"text": "Yo", "start": True}])
    t = import_bytes(data.encode(), "w.json")
    assert [turn.start for turn in t.turns] == [None, None]


# ---------------------------------------------------------------- plain text


def test_text_roles_stamps_crlf_and_continuations():
    t = import_file(DATA / "roles.txt")
    assert t.format == "text"
    assert texts(t) == [
        ("Therapist", "Welcome back. How did the conversation with your partner go?"),
        ("Client", "Better than I expected. We actually listened to each other."),
        ("Therapist", "What did you do differently?"),
    ]
    assert [turn.start for turn in t.turns] == [3.0, 10.0, 65.0]
    assert [turn.role for turn in t.turns] == ["therapist", "client", "therapist"]


def test_text_abbreviated_labels_and_bracket_stamps():
    t = import_file(DATA / "abbrev.txt")
    assert [turn.role for turn in t.turns] == ["therapist", "client", "therapist", "client"]
    assert t.turns[1].text == "It dropped when I retired. Before that I was fine."
    assert t.turns[3].start == 3730.0


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("T", "therapist"),
        ("TH", "therapist"),
        ("Counsellor", "therapist"),
        ("C", "client"),
        ("CL", "client"),
        ("Patient", "client"),
        ("Dr. Chen", "unknown"),
    ],
)
def test_text_role_labels_map_by_themselves(label, role):
    t = import_bytes(f"{label}: Hello there.\n".encode(), "a.txt")
    assert t.turns[0].role == role


def test_text_names_and_a_preamble_line_that_becomes_the_title():
    t = import_bytes(b"Session notes, week 4\nDr. Chen: Hello.\nRosa: Hi.\n", "n.txt")
    assert texts(t) == [("Dr. Chen", "Hello."), ("Rosa", "Hi.")]
    assert t.title == "Session notes, week 4" and t.warnings == []


def test_text_colon_in_speech_is_not_a_label():
    t = import_bytes(b"Client: I said: no more.\nit was 10:30: late.\n", "a.txt")
    assert texts(t) == [("Client", "I said: no more. it was 10:30: late.")]


# ---------------------------------------------------------------- DOCX


def _docx(build) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _bold_line(document, speaker: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(speaker).bold = True
    paragraph.add_run(text)


def test_docx_bold_speakers_stamps_and_continuations(tmp_path):
    def build(d):
        d.add_heading("Session 4", level=1)
        _bold_line(d, "Therapist:", " How was the week?")
        _bold_line(d, "Client (00:01:05):", " Hard. My son left.")
        d.add_paragraph("He didn't say goodbye.")
        _bold_line(d, "Therapist", " [2:03] What did you feel?")

    path = tmp_path / "session.docx"
    path.write_bytes(_docx(build))
    t = import_file(path)
    assert t.format == "docx" and t.title == "Session 4"
    assert texts(t) == [
        ("Therapist", "How was the week?"),
        ("Client", "Hard. My son left. He didn't say goodbye."),
        ("Therapist", "What did you feel?"),
    ]
    assert [turn.start for turn in t.turns] == [None, 65.0, 123.0]


def test_docx_table_rows_in_body_order(tmp_path):
    def build(d):
        _bold_line(d, "Therapist:", " Before the table.")
        table = d.add_table(rows=4, cols=2)
        rows = [("Speaker", "Text"), ("Client", "In the table."), ("Client", "Still me.")]
        rows.append(("Therapist", "Last row."))
        for i, (a, b) in enumerate(rows):
            table.cell(i, 0).text, table.cell(i, 1).text = a, b
        _bold_line(d, "Client:", " After the table.")

    t = import_bytes(_docx(build), "table.docx")
    assert texts(t) == [
        ("Therapist", "Before the table."),
        ("Client", "In the table. Still me."),
        ("Therapist", "Last row."),
        ("Client", "After the table."),
    ]


def test_docx_three_column_table_with_times():
    def build(d):
        table = d.add_table(rows=2, cols=3)
        for i, row in enumerate([("00:00:04", "T", "Hello."), ("0:09", "C", "Hi.")]):
            for j, value in enumerate(row):
                table.cell(i, j).text = value

    t = import_bytes(_docx(build), "times.docx")
    assert [(x.speaker, x.start, x.text) for x in t.turns] == [
        ("T", 4.0, "Hello."),
        ("C", 9.0, "Hi."),
    ]


def test_docx_plain_label_paragraphs_and_script_text():
    def build(d):
        d.add_paragraph("Therapist: What happened next?")
        d.add_paragraph("Client: I wrote <script>alert('x')</script> in my diary.")

    t = import_bytes(_docx(build), "plain.docx")
    assert t.turns[1].text == "I wrote <script>alert('x')</script> in my diary."


# ---------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("zoom.vtt", "vtt"),
        ("teams.vtt", "vtt"),
        ("whisperx.srt", "srt"),
        ("otter.txt", "otter"),
        ("whisper.json", "whisper"),
        ("whisperx.json", "whisperx"),
        ("roles.txt", "text"),
    ],
)
def test_detection_ignores_a_misleading_name(name, fmt):
    data = (DATA / name).read_bytes()
    assert import_bytes(data, "upload").format == fmt  # no extension: content decides
    assert import_bytes(data, name).format == fmt


def test_srt_content_named_txt_is_read_as_srt():
    assert import_bytes((DATA / "whisperx.srt").read_bytes(), "captions.txt").format == "srt"


def test_text_starting_with_bracket_stamp_is_not_json():
    assert import_bytes(b"[0:01] T: Hello.\n[0:03] C: Hi.\n", "x.txt").format == "text"


def test_docx_detected_by_zip_signature():
    data = _docx(lambda d: d.add_paragraph("Therapist: Hi."))
    assert import_bytes(data, "export").format == "docx"
