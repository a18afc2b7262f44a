"""The plain data an importer returns: one transcript type for every format, and its errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Role = Literal["therapist", "client", "interpreter", "other", "unknown"]
FORMATS: tuple[str, ...] = ("vtt", "srt", "otter", "whisper", "whisperx", "text", "docx")


class TranscriptImportError(ValueError):
    """A file that cannot be imported; the message is one line naming the file and the problem."""


class RoleMappingError(ValueError):
    """A speaker mapping that cannot be applied, or a transcript whose roles are not all mapped."""


@dataclass(frozen=True)
class Segment:
    """One piece of speech as a format gives it, before consecutive pieces are merged into turns."""

    speaker: str
    text: str
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True)
class RawTurn:
    """One speaker turn: `speaker` is the label as found, `role` what that label stands for."""

    n: int
    speaker: str
    role: Role
    start: float | None
    text: str
    end: float | None = None


@dataclass(frozen=True)
class ImportedTranscript:
    """A transcript read from any format; `speakers` lists labels in order of first appearance;
    `title` is a heading or first metadata line the file held (never a turn)."""

    format: str
    speakers: list[str]
    turns: list[RawTurn]
    warnings: list[str] = field(default_factory=list)
    title: str = ""

    def to_json(self) -> dict:
        """The JSON shape the CLI prints and writes: format, title, speakers and turns."""
        return {
            "format": self.format,
            "title": self.title,
            "speakers": list(self.speakers),
            "turns": [
                {"n": t.n, "speaker": t.speaker, "role": t.role, "start": t.start, "text": t.text}
                for t in self.turns
            ],
        }
