"""Which format a file is in: content signatures first, then the file extension, then sniffing."""

from __future__ import annotations

import re
from pathlib import PurePath

from . import otter, whisper
from .transcript import TranscriptImportError

ZIP_MAGIC = b"PK\x03\x04"
_BY_EXTENSION = {".vtt": "vtt", ".srt": "srt", ".json": "whisper", ".docx": "docx"}
_PLAIN_EXTENSIONS = frozenset({"", ".txt", ".text"})
_HINTS = {
    ".doc": "save it as .docx",
    ".rtf": "save it as .docx or .txt",
    ".pdf": "export the transcript as .txt, .vtt or .docx",
}
_JSON_START = re.compile(r"\{|\[\s*(?:\{|\])")
_SRT_START = re.compile(r"\s*\d+[ \t]*\r?\n[ \t]*(?:\d{1,2}:)?\d{1,2}:\d{2}[,.]\d{1,3}[ \t]*-->")


def extension(name: str) -> str:
    """The lower-cased extension, refusing the ones no importer reads."""
    ext = PurePath(name).suffix.lower()
    if ext not in _BY_EXTENSION and ext not in _PLAIN_EXTENSIONS:
        hint = _HINTS.get(ext, "supported: .vtt .srt .json .docx .txt")
        raise TranscriptImportError(f"{name}: unsupported file type '{ext}' ({hint})")
    return ext


def is_docx(name: str, data: bytes) -> bool:
    """True for a zip package (what a .docx is) or a file named .docx."""
    return data.startswith(ZIP_MAGIC) or extension(name) == ".docx"


def text_format(name: str, text: str) -> str:
    """The format of decoded text: signatures (WEBVTT, JSON, SRT cue) beat the extension."""
    head = text.lstrip()
    if head.startswith("WEBVTT"):
        return "vtt"
    if _JSON_START.match(head):
        return _json_format(name, text)
    if _SRT_START.match(text):
        return "srt"
    ext = extension(name)
    if ext in _BY_EXTENSION:
        return _json_format(name, text) if ext == ".json" else _BY_EXTENSION[ext]
    first = next(line.strip() for line in text.splitlines() if line.strip())
    return "otter" if otter.HEADER.fullmatch(first) and otter.headers(text) else "text"


def _json_format(name: str, text: str) -> str:
    """Whisper or WhisperX: WhisperX segments carry speaker labels."""
    return "whisperx" if whisper.has_speakers(whisper.load(text, name)) else "whisper"
