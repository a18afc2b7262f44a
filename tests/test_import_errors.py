"""Bad input: every failure is a TranscriptImportError with one line naming the file."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest

from ipt_fidelity.content.importers import (
    MAX_BYTES,
    TranscriptImportError,
    import_bytes,
    import_file,
)

TRANSCRIPT = "Therapist: How’s the week been?\nClient: Café au lait – and “tears”. Naïve, I know.\n"


def rejects(data: bytes, name: str, fmt: str = "auto") -> str:
    with pytest.raises(TranscriptImportError) as info:
        import_bytes(data, name, fmt)
    message = str(info.value)
    assert message.startswith(f"{name}: ") and "\n" not in message
    return message


@pytest.mark.parametrize(
    ("name", "hint"),
    [("notes.pdf", "export"), ("session.doc", "save it as .docx"), ("audio.mp3", "supported")],
)
def test_unsupported_extensions(name, hint):
    assert hint in rejects(b"Therapist: hi\n", name)


def test_unknown_format_name():
    assert "unknown format 'pdf'" in rejects(b"Therapist: hi\n", "a.txt", "pdf")


def test_empty_and_whitespace_only_files():
    assert "empty" in rejects(b"", "empty.txt")
    assert "empty" in rejects(b"  \r\n\t\n", "blank.vtt")
    assert "empty" in rejects(codecs.BOM_UTF8, "bom-only.txt")


def test_over_the_size_cap(tmp_path):
    assert "limit is 5 MB" in rejects(b"Therapist: hi\n" + b"x" * MAX_BYTES, "big.txt")
    path = tmp_path / "big.vtt"
    with path.open("wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: checked by size before it is read
    with pytest.raises(TranscriptImportError, match=r"big\.vtt: the file is 5\.0 MB"):
        import_file(path)


def test_binary_data():
    assert "binary" in rejects(bytes(range(256)) * 4, "noise.txt")
    assert "binary" in rejects(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "photo.txt")
    assert "binary" in rejects(b"Therapist: hi\x01\x02\x03\x04\x05\x06\n", "ctrl.txt")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_device_without_a_size_is_read_only_up_to_the_cap():
    with pytest.raises(TranscriptImportError, match=r"zero: the file is 5\.0 MB"):
        import_file("/dev/zero")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(TranscriptImportError, match=r"nope\.vtt: cannot read the file"):
        import_file(tmp_path / "nope.vtt")
    with pytest.raises(TranscriptImportError, match="cannot read the file"):
        import_file(tmp_path)


def test_cp1252_decodes_with_curly_quotes_and_accents():
    t = import_bytes(TRANSCRIPT.encode("cp1252"), "windows.txt")
    assert t.turns[1].text == "Café au lait – and “tears”. Naïve, I know."
    assert t.turns[0].text == "How’s the week been?"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_unicode_with_byte_order_marks(encoding):
    data = TRANSCRIPT.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    t = import_bytes(data, "unicode.txt")
    assert t.turns[1].text == "Café au lait – and “tears”. Naïve, I know."


def test_utf16_vtt_from_windows():
    data = "WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\nAnn: Hi\r\n".encode("utf-16")
    assert import_bytes(data, "teams.vtt").turns[0].text == "Hi"


def test_corrupt_vtt_srt_and_json():
    assert "not a valid WebVTT file" in rejects(b"Ann: no header here\n", "broken.vtt")
    assert "not a valid SRT file" in rejects(b"1\nnot a time\nhello\n", "broken.srt")
    assert "not valid JSON" in rejects(b'{"segments": [', "broken.json")
    assert "'segments' list" in rejects(b'{"text": "hi"}', "other.json")
    assert "segment 2 has no text" in rejects(b'{"segments": [{"text": "a"}, {}]}', "x.json")


def test_files_that_parse_but_hold_no_speech():
    assert "no transcript text" in rejects(b"WEBVTT\n\nNOTE nothing here\n", "quiet.vtt")
    assert "no transcript text" in rejects(b'{"segments": []}', "silent.json")
    assert "no speaker labels" in rejects(b"just some notes\nwithout labels\n", "notes.txt")


def test_corrupt_docx():
    assert "not a readable .docx" in rejects(b"PK\x03\x04 truncated", "broken.docx")
    assert "not a readable .docx" in rejects(b"plain text", "renamed.docx")
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as z:
        z.writestr("hello.txt", "not a Word document")
    assert "not a readable .docx" in rejects(package.getvalue(), "other.zip.docx")


def test_zip_bomb_docx_is_refused_before_unpacking():
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\x00" * (51 * 1024 * 1024))
    assert "unpacks to more than 50 MB" in rejects(package.getvalue(), "bomb.docx")


def test_zip_forced_as_text_format():
    assert "cannot be read as vtt" in rejects(b"PK\x03\x04 zip", "x.vtt", "vtt")


def test_html_document_is_kept_as_text_never_interpreted():
    data = b"Therapist: <img src=x onerror=alert(1)> hello\nClient: <a href='javascript:x'>y</a>\n"
    t = import_bytes(data, "page.txt")
    assert t.turns[0].text == "<img src=x onerror=alert(1)> hello"
    assert t.turns[1].text == "<a href='javascript:x'>y</a>"
