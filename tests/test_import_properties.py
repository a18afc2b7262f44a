"""Property tests: rendering random turns in a format and importing them gives the turns back."""

from __future__ import annotations

import datetime

import srt
from hypothesis import given, settings
from hypothesis import strategies as st

from ipt_fidelity.content.importers import TranscriptImportError, import_bytes

LABELS = ["Therapist", "Client", "T", "C", "TH", "CL", "Dr. Rivera", "Sam", "Speaker 2"]
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZ'", min_size=1, max_size=9)
SPEECH = st.lists(WORD, min_size=1, max_size=12).map(" ".join).map(lambda s: s + ".")


@st.composite
def turns(draw) -> list[tuple[str, int | None, str]]:
    """Turns whose neighbours have different speakers (same-speaker neighbours would merge)."""
    count = draw(st.integers(min_value=1, max_value=8))
    out: list[tuple[str, int | None, str]] = []
    clock = 0
    for _ in range(count):
        label = draw(st.sampled_from([x for x in LABELS if not out or x != out[-1][0]]))
        clock += draw(st.integers(min_value=0, max_value=4000))
        stamp = draw(st.one_of(st.none(), st.just(clock)))
        out.append((label, stamp, draw(SPEECH)))
    return out


def _clock(seconds: int, style: str) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    if style == "paren":
        return f"({h:02d}:{m:02d}:{s:02d})"
    return f"[{h}:{m:02d}:{s:02d}]" if h else f"[{m}:{s:02d}]"


@settings(max_examples=100, deadline=None)
@given(
    turns(),
    st.sampled_from(["paren", "bracket"]),
    st.sampled_from(["before", "after"]),
    st.sampled_from(["\n", "\r\n"]),
    st.integers(min_value=0, max_value=3),
)
def test_text_round_trip(rows, style, where, newline, wrap_at):
    lines = []
    for label, stamp, text in rows:
        mark = "" if stamp is None else _clock(stamp, style)
        head = f"{mark} {label}" if where == "before" else f"{label} {mark}"
        words = text.split()
        first, rest = (
            " ".join(words[: wrap_at or len(words)]),
            " ".join(words[wrap_at or len(words) :]),
        )
        lines.append(f"{head.strip()}: {first}")
        if rest:
            lines.append(rest)  # a wrapped line continues the turn
    data = (newline.join(lines) + newline).encode()
    got = import_bytes(data, "random.txt")
    assert [(t.speaker, t.start, t.text) for t in got.turns] == [
        (label, None if stamp is None else float(stamp), text) for label, stamp, text in rows
    ]
    assert [t.n for t in got.turns] == list(range(1, len(rows) + 1))


@settings(max_examples=100, deadline=None)
@given(turns(), st.integers(min_value=1, max_value=3))
def test_srt_round_trip_with_split_cues(rows, pieces):
    subtitles, index, clock = [], 1, 0.0
    for label, _, text in rows:
        words = text.split()
        size = max(1, len(words) // pieces)
        for i in range(0, len(words), size):
            start = datetime.timedelta(seconds=clock)
            content = f"{label}: {' '.join(words[i : i + size])}"
            subtitles.append(
                srt.Subtitle(index, start, start + datetime.timedelta(seconds=1), content)
            )
            index, clock = index + 1, clock + 1.5
    got = import_bytes(srt.compose(subtitles).encode(), "random.srt")
    assert [(t.speaker, t.text) for t in got.turns] == [(label, text) for label, _, text in rows]


NAMES = ["x.vtt", "x.srt", "x.json", "x.txt", "x.docx", "upload"]
STRUCTURE = st.sampled_from(
    [
        "WEBVTT\n\n",
        "1\n00:00:01,000 --> 00:00:02,000\n",
        "-->",
        "{",
        "[",
        '"segments"',
        ":",
        "\n",
        "<v A>",
        "Therapist: ",
        "Anna  0:01\n",
        "\ufeff",
        "\r\n",
        "PK\x03\x04",
        "00:00:0",
        "\x00",
    ]
)
NOISE = st.lists(st.one_of(STRUCTURE, st.text(max_size=12)), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(NOISE.map(str.encode), st.binary(max_size=300)), st.sampled_from(NAMES))
def test_any_input_imports_or_fails_with_a_one_line_import_error(data, name):
    try:
        transcript = import_bytes(data, name)
    except TranscriptImportError as exc:
        assert str(exc).startswith(f"{name}: ") and "\n" not in str(exc)
    else:
        assert transcript.turns and all(t.text for t in transcript.turns)
