"""Reading a file someone hands the app, with a byte limit and one plain line for each failure.

Every file read from a path the user names goes through `read_capped`: a missing file, a folder,
a device that never ends (`/dev/zero`) or a file of a gigabyte becomes a `FileRefused` with one
sentence, and at most `limit + 1` bytes are ever read. `digits_problem` names the characters a
number written by a person may not contain (Python's `int()` takes "٣" and "²" is a digit).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

RATINGS_CSV_BYTES = 5 * 1024 * 1024
"""Largest ratings CSV `ratings import` reads (a cohort's year of ratings is well under 1 MB)."""
AGREEMENT_CSV_BYTES = 50 * 1024 * 1024
"""Largest ratings CSV `agreement` reads."""


class FileRefused(ValueError):
    """The file cannot be used; `str(exc)` is one line naming it."""


def size_text(limit: int) -> str:
    return f"{limit // 2**20} MB" if limit % 2**20 == 0 else f"{limit:,} bytes"


def read_capped(path: Path | str, limit: int, shown: str | None = None) -> bytes:
    """The file's bytes; `FileRefused` when it is missing, not a file, unreadable or too big."""
    path = Path(path)
    name = shown or str(path)
    if path.is_dir():
        raise FileRefused(f"{name} is a folder, not a file")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise FileRefused(f"cannot read {name}: no such file") from None
    except OSError as exc:
        raise FileRefused(f"cannot read {name}: {exc.strerror or exc}") from None
    except MemoryError:  # pragma: no cover - only with a tiny memory limit
        raise FileRefused(f"{name}: too large to read") from None
    if len(data) > limit:
        raise FileRefused(f"{name} is larger than the limit of {size_text(limit)}")
    return data


def digits_problem(text: str) -> str | None:
    """A sentence naming the first character of `text` that is not an ASCII digit 0-9 while
    Python would count it as one (other scripts, superscripts, circled numbers), else None."""
    for char in text:
        if not ("0" <= char <= "9") and (char.isdigit() or char.isnumeric()):
            what = unicodedata.name(char, f"U+{ord(char):04X}")
            return f"{char!r} ({what}) is not one of the digits 0-9"
    return None
