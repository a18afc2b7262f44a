"""Entry points: read a file or uploaded bytes, pick the format, and run its importer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import detect, docx, otter, srt, text, vtt, whisper
from .common import MAX_BYTES, brief, check_length, check_size, decode
from .transcript import FORMATS, ImportedTranscript, TranscriptImportError

_TEXT_PARSERS: dict[str, Callable[[str, str], ImportedTranscript]] = {
    "vtt": vtt.parse,
    "srt": srt.parse,
    "otter": otter.parse,
    "whisper": lambda t, n: whisper.parse(t, n, speakers=False),
    "whisperx": lambda t, n: whisper.parse(t, n, speakers=True),
    "text": text.parse,
}


def import_file(path: str | Path, fmt: str = "auto") -> ImportedTranscript:
    """Import a transcript file; its size is checked before reading and the read is bounded."""
    path = Path(path)
    try:
        check_length(path.stat().st_size, path.name)
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)  # a device or pipe reports no size; never read past this
    except OSError as exc:
        raise TranscriptImportError(f"{path.name}: cannot read the file ({exc.strerror})") from exc
    return import_bytes(data, path.name, fmt)


def import_bytes(data: bytes, name: str, fmt: str = "auto") -> ImportedTranscript:
    """Import uploaded bytes; `name` (the file name) gives the extension and error messages."""
    if fmt != "auto" and fmt not in FORMATS:
        raise TranscriptImportError(f"{name}: unknown format '{fmt}' (one of {', '.join(FORMATS)})")
    check_size(data, name)
    try:
        if fmt == "docx" or (fmt == "auto" and detect.is_docx(name, data)):
            return docx.parse(data, name)
        if data.startswith(detect.ZIP_MAGIC):
            raise TranscriptImportError(f"{name}: a zip/.docx package cannot be read as {fmt}")
        content = decode(data, name)
        return _TEXT_PARSERS[detect.text_format(name, content) if fmt == "auto" else fmt](
            content, name
        )
    except TranscriptImportError:
        raise
    except Exception as exc:  # a parser tripping on damaged input is still a bad file, not a crash
        raise TranscriptImportError(
            f"{name}: damaged or unexpected content ({brief(exc)})"
        ) from exc
