"""Speakers for a transcript that has none (plain Whisper output), corrected turn by turn.

    t = assign_speakers(import_file("call.json"), "pause", pause=1.5)
    t = set_speaker(t, 7, "Speaker 1")  # the reviewer corrects turn 7

Alternation gives each turn the other speaker; by pause, the speaker changes only after a
silence of at least `pause` seconds between one segment's end and the next one's start (a
speaker who pauses less keeps the floor). Turns are never merged, so every segment can still
be corrected; the labels are 'Speaker 1', 'Speaker 2', ... for the role mapping that follows.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from .common import role_for_label, speakers_of
from .transcript import ImportedTranscript, RawTurn, RoleMappingError

Method = Literal["alternate", "pause"]
METHODS: tuple[str, ...] = ("alternate", "pause")


def assign_speakers(
    transcript: ImportedTranscript, method: str, *, pause: float = 1.0, count: int = 2
) -> ImportedTranscript:
    """Label every turn of an unlabelled transcript 'Speaker 1'..'Speaker {count}'."""
    if method not in METHODS:
        raise RoleMappingError(
            f"unknown speaker assignment '{method}' (one of {', '.join(METHODS)})"
        )
    if transcript.speakers:
        raise RoleMappingError(
            "this transcript already has speaker labels; assign speakers only to one without"
        )
    if count < 2:
        raise RoleMappingError("assign at least two speakers")
    if method == "pause":
        if pause <= 0:
            raise RoleMappingError("the pause must be a positive number of seconds")
        if any(t.start is None for t in transcript.turns):
            raise RoleMappingError("assignment by pause needs a start time on every segment")
    k, turns = 0, []
    previous: RawTurn | None = None
    for turn in transcript.turns:
        if previous is not None and (method == "alternate" or _gap(previous, turn) >= pause):
            k = (k + 1) % count
        turns.append(replace(turn, speaker=f"Speaker {k + 1}", role="unknown"))
        previous = turn
    how = "alternation" if method == "alternate" else f"pauses of {pause:g} s or more"
    warning = f"speakers assigned by {how}: check each turn before mapping roles"
    return replace(
        transcript,
        speakers=speakers_of(turns),
        turns=turns,
        warnings=[*transcript.warnings, warning],
    )


def set_speaker(transcript: ImportedTranscript, turn: int, label: str) -> ImportedTranscript:
    """The transcript with turn `turn` given to speaker `label` (a reviewer's correction)."""
    label = " ".join(label.split())
    if not label:
        raise RoleMappingError("give the speaker's label")
    if not any(t.n == turn for t in transcript.turns):
        raise RoleMappingError(f"there is no turn {turn}")
    turns = [
        replace(t, speaker=label, role=role_for_label(label)) if t.n == turn else t
        for t in transcript.turns
    ]
    return replace(transcript, speakers=speakers_of(turns), turns=turns)


def _gap(before: RawTurn, after: RawTurn) -> float:
    """Seconds of silence between two segments (from the first's end, else its start)."""
    end = before.end if before.end is not None else before.start
    return (after.start or 0.0) - (end or 0.0)
