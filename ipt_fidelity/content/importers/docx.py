"""Word .docx: bold speaker runs opening paragraphs, "Label: text" lines, or speaker | text rows."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from .common import (
    STAMP_RE,
    brief,
    is_metadata_label,
    merge,
    parse_clock,
    require_turns,
    speakers_of,
)
from .text import segments_of
from .transcript import ImportedTranscript, Segment, TranscriptImportError

MAX_UNZIPPED = 50 * 1024 * 1024
"""Largest total of a .docx's unzipped parts: guards against zip bombs before python-docx reads."""

_HEADER_CELLS = frozenset({"speaker", "name", "who", "role"})


def parse(data: bytes, name: str) -> ImportedTranscript:
    """Walk the body in order (document.paragraphs would skip tables) and collect segments.

    Headings, the title and metadata lines ('Date: ...', or text before the first speaker) are
    never turns: the first becomes the transcript's title, the rest are left out.
    """
    document = _open(data, name)
    segments: list[Segment] = []
    extras: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            segments.extend(_table(block))
        elif _is_heading(block):
            extras.append(block.text.strip())
        else:
            found = _paragraph(block, segments)
            kept = [s for s in found if s.speaker and not is_metadata_label(s.speaker)]
            extras += [_line(s) for s in found if s not in kept]
            segments.extend(kept)
    turns = require_turns(merge(segments), name, "docx")
    extras = [e for e in extras if e]
    warnings = (
        [f"{len(extras) - 1} heading or metadata line(s) left out"] if len(extras) > 1 else []
    )
    return ImportedTranscript(
        "docx", speakers_of(turns), turns, warnings, title=extras[0] if extras else ""
    )


def _is_heading(paragraph: Paragraph) -> bool:
    """True for a paragraph styled as a heading or the document's title."""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    return style.startswith(("Heading", "Title", "Subtitle")) and bool(paragraph.text.strip())


def _line(segment: Segment) -> str:
    """A left-out line as it read: 'Label: text', or the text alone."""
    text = " ".join(segment.text.split())
    return f"{segment.speaker}: {text}" if segment.speaker else text


def _open(data: bytes, name: str) -> docx.document.Document:
    """Open the package, turning every way a damaged file can fail into one clear error."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if sum(info.file_size for info in package.infolist()) > MAX_UNZIPPED:
                raise TranscriptImportError(f"{name}: the .docx unpacks to more than 50 MB")
        return docx.Document(io.BytesIO(data))
    except TranscriptImportError:
        raise
    except Exception as exc:  # zipfile, lxml and python-docx each raise their own types
        raise TranscriptImportError(f"{name}: not a readable .docx file ({brief(exc)})") from exc


def _paragraph(paragraph: Paragraph, before: list[Segment]) -> list[Segment]:
    """A short bold opening names the speaker; else a 'Label:' line; else it continues a turn."""
    bold, rest = _split_bold(paragraph)
    label = STAMP_RE.sub("", bold).strip().rstrip(":").strip()
    if label and len(label.split()) <= 5 and not label.endswith(("?", "!", ".")):
        rest = rest.lstrip(" :")
        stamp = STAMP_RE.search(bold)
        if not stamp and (stamp := STAMP_RE.match(rest)):
            rest = rest[stamp.end() :].lstrip(" :")
        return [Segment(label, rest, parse_clock(stamp[1]) if stamp else None)]
    found = segments_of([paragraph.text])
    if found and not found[0].speaker and before:  # continues the turn of the paragraph above
        return [Segment(before[-1].speaker, found[0].text)]
    return found


def _split_bold(paragraph: Paragraph) -> tuple[str, str]:
    """The text of the leading bold runs, and the rest of the paragraph."""
    runs = paragraph.runs
    lead = 0
    while lead < len(runs) and (runs[lead].bold or not runs[lead].text.strip()):
        lead += 1
    bold = "".join(r.text for r in runs[:lead])
    return (bold, "".join(r.text for r in runs[lead:])) if bold.strip() else ("", "")


def _table(table: Table) -> list[Segment]:
    """Rows of 'speaker | text' (or 'time | speaker | text'); a header row is skipped."""
    segments = []
    for row in table.rows:
        cells = list({c._tc: c.text.strip() for c in row.cells}.values())  # merged cells repeat
        start = None
        if len(cells) >= 3 and STAMP_RE.fullmatch(f"[{cells[0]}]"):
            start, cells = parse_clock(cells[0]), cells[1:]
        if len(cells) < 2 or cells[0].casefold() in _HEADER_CELLS:
            continue
        segments.append(Segment(cells[0].rstrip(":").strip(), " ".join(cells[1:]), start))
    return segments
