"""Ratings in and out as tables: all-or-nothing CSV import, CSV/XLSX export.

Import columns: `rater`, `session`, `rubric`, `item`, `score` and optionally `comment` and
`evidence` (turn numbers separated by spaces, commas or semicolons). `score` may be `na` or empty
for not applicable where the rubric allows it. All rows of one rater, session and rubric form one
submitted rating. Export adds `rater_role`, `rubric_version` and `submitted_at`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from ..content.inputfiles import RATINGS_CSV_BYTES, FileRefused, digits_problem, read_capped
from .audit_log import record
from .errors import InvalidInput
from .limits import MAX_TEXT
from .models import ImportedSession, ItemScore, Rating, User, utcnow
from .permissions import rating_readable, require_admin
from .ratings import ScoreEntry, checked_entry, missing_items
from .targets import RateTarget, shipped_target, uploaded_target
from .transactions import reads, writes
from .upsert import dialect_insert

if TYPE_CHECKING:
    from ..content.library import Library
    from ..content.models import Rubric

REQUIRED = ("rater", "session", "rubric", "item", "score")
OPTIONAL = ("comment", "evidence")
EXPORT_COLUMNS = (*REQUIRED, *OPTIONAL, "rater_role", "rubric_version", "submitted_at")
NOT_APPLICABLE = {"", "na", "n/a"}
MAX_ROWS = 200_000
Key = tuple[int, str, str]  # rater id, session id, rubric id


class ImportRejected(InvalidInput):
    """The file has problems; nothing was imported. `problems` lists them by row number."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        more = len(problems) - 50
        shown = problems[:50] + ([f"... and {more} more"] if more > 0 else [])
        super().__init__("Nothing was imported:\n" + "\n".join(shown))


@dataclass
class _Group:
    """The rows that make up one rating."""

    rater: User
    target: RateTarget
    rubric: Rubric
    scores: dict[str, ItemScore] = field(default_factory=dict)


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file as dicts (BOM and surrounding blanks removed)."""
    try:
        raw = read_capped(path, RATINGS_CSV_BYTES, path.name)
    except FileRefused as exc:
        raise InvalidInput(f"{exc}; nothing was imported") from None
    if b"\x00" in raw[:8192]:
        raise InvalidInput(f"{path.name} is not CSV text (it looks binary); nothing was imported")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected([f"{path.name}: not UTF-8 text ({exc.reason})"]) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows: list[dict[str, str]] = []
    try:
        columns = [c.strip().lower() for c in reader.fieldnames or []]
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise ImportRejected([f"row 1: missing column(s): {', '.join(missing)}"])
        for raw in reader:
            rows.append(
                {k.strip().lower(): _active((v or "").strip()) for k, v in raw.items() if k}
            )
            if len(rows) > MAX_ROWS:
                raise ImportRejected([f"more than {MAX_ROWS} rows; split the file"])
    except csv.Error as exc:
        raise ImportRejected([f"row {len(rows) + 2}: not readable as CSV ({exc})"]) from exc
    return rows


def _targets(db: Session, library: Library, session_ids: set[str]) -> dict[str, RateTarget]:
    """The sessions the rows name, shipped or uploaded, as the rating page sees them."""
    targets = {sid: shipped_target(library, sid) for sid in session_ids & set(library.sessions)}
    uploads = db.scalars(select(ImportedSession).where(ImportedSession.id.in_(session_ids)))
    targets.update({u.id: uploaded_target(library, u) for u in uploads})
    return targets


def _entry(row: Mapping[str, str]) -> tuple[ScoreEntry | None, str | None]:
    """The cells of a row as the entry the rating page would save, or a problem."""
    value = row["score"].lower()
    score = None
    if value not in NOT_APPLICABLE:
        if odd := digits_problem(value):
            return None, f"score {row['score']!r}: {odd}"
        if not (value.isascii() and value.isdigit()):
            return None, f"score {row['score']!r} is not a whole number or 'na'"
        score = int(value)
    parts = [p for p in re.split(r"[\s;,]+", row.get("evidence", "")) if p]
    if odd := digits_problem(row.get("evidence", "")):
        return None, f"evidence {row.get('evidence')!r}: {odd}"
    if not all(p.isascii() and p.isdigit() for p in parts):
        return None, (
            f"evidence {row.get('evidence')!r} must be turn numbers separated by spaces or "
            "semicolons"
        )
    if len(row.get("comment", "")) > MAX_TEXT:
        return None, f"comment has {len(row['comment']):,} characters; the limit is {MAX_TEXT:,}"
    entry = ScoreEntry(
        score=score,
        not_applicable=score is None,
        evidence=tuple(int(p) for p in parts),
        comment=row.get("comment", ""),
    )
    return entry, None


def _groups(
    db: Session, rows: list[dict[str, str]], library: Library
) -> tuple[dict[Key, _Group], list[str]]:
    """The ratings the rows describe, and every problem found, by row number."""
    usernames = {r["rater"].lower() for r in rows}
    users = {u.username: u for u in db.scalars(select(User).where(User.username.in_(usernames)))}
    targets = _targets(db, library, {r["session"] for r in rows})
    groups: dict[Key, _Group] = {}
    problems: list[str] = []
    for number, row in enumerate(rows, start=2):
        found = []
        user = users.get(row["rater"].lower())
        rubric = library.rubrics.get(row["rubric"])
        target = targets.get(row["session"])
        if user is None:
            found.append(f"unknown rater {row['rater']!r}")
        if target is None:
            found.append(f"unknown session {row['session']!r}")
        if rubric is None:
            found.append(f"unknown rubric {row['rubric']!r}")
        if rubric is not None and target is not None and rubric.id != target.rubric_id:
            found.append(f"session {row['session']!r} is rated with rubric {target.rubric_id!r}")
        entry, problem = _entry(row)
        if problem:
            found.append(problem)
        elif rubric is not None and target is not None and not found:
            try:
                values = checked_entry(rubric, target, row["item"], entry)
            except InvalidInput as exc:
                found.append(str(exc))
        if found:
            problems += [f"row {number}: {p}" for p in found]
            continue
        assert user is not None and rubric is not None and target is not None
        group = groups.setdefault(
            (user.id, row["session"], rubric.id), _Group(user, target, rubric)
        )
        if row["item"] in group.scores:
            problems.append(f"row {number}: item {row['item']!r} appears twice for this rating")
            continue
        group.scores[row["item"]] = ItemScore(item_id=row["item"], **values)
    for group in groups.values():
        if missing := missing_items(group.target, group.rubric, group.scores.values()):
            problems.append(
                f"{group.rater.username}'s rating of {group.target.id} lacks item(s) "
                f"{', '.join(missing)}: a submitted rating scores every item or marks it N/A"
            )
    return groups, problems


@writes
def import_ratings(
    db: Session, rows: list[dict[str, str]], library: Library, actor: User | None = None
) -> int:
    """Store the rows as submitted ratings, all or none; returns how many ratings were made.

    `actor` None is the operator at the command line; in the app only admins may import.
    """
    if actor is not None:
        require_admin(actor)
    if not rows:
        raise ImportRejected(["the file has no rows"])
    groups, problems = _groups(db, rows, library)
    existing = _existing(db, groups)
    for key, status in existing.items():
        if status == "submitted":
            group = groups[key]
            problems.append(
                f"{group.rater.username} already submitted a rating of {group.target.id} "
                f"with {group.rubric.id}; it was not replaced"
            )
    if problems:
        raise ImportRejected(problems)
    now = utcnow()
    for key, group in groups.items():
        if key in existing:  # a draft of the same rating: the imported rating replaces it
            db.execute(delete(Rating).where(*_key_matches(key)))
        inserted = db.execute(
            dialect_insert(db, Rating)
            .values(
                rater_id=group.rater.id,
                session_id=group.target.id,
                rubric_id=group.rubric.id,
                rubric_version=group.rubric.version,
                status="submitted",
                created_at=now,
                updated_at=now,
                submitted_at=now,
            )
            .on_conflict_do_nothing()
            .returning(Rating.id)
        ).scalar()
        if inserted is None:
            raise ImportRejected(
                [
                    f"{group.rater.username}'s rating of {group.target.id} with "
                    f"{group.rubric.id} was stored by someone else meanwhile; nothing imported"
                ]
            )
        for score in group.scores.values():
            score.rating_id = inserted
            score.updated_at = now
            db.add(score)
    record(db, actor, "ratings.import", ratings=len(groups), rows=len(rows))
    return len(groups)


def _key_matches(key: Key) -> tuple[ColumnElement[bool], ...]:
    rater_id, session_id, rubric_id = key
    return (
        Rating.rater_id == rater_id,
        Rating.session_id == session_id,
        Rating.rubric_id == rubric_id,
    )


def _existing(db: Session, groups: Mapping[Key, _Group]) -> dict[Key, str]:
    """Status of the stored ratings that the import would create, by key."""
    if not groups:
        return {}
    raters = {key[0] for key in groups}
    query = select(Rating.rater_id, Rating.session_id, Rating.rubric_id, Rating.status).where(
        Rating.rater_id.in_(raters)
    )
    stored = {(r, s, b): status for r, s, b, status in db.execute(query)}
    return {key: stored[key] for key in groups if key in stored}


@reads
def export_rows(db: Session, actor: User | None = None) -> list[dict[str, str]]:
    """Every submitted item score the actor may read (None: the operator reads all), as rows."""
    query = (
        select(Rating, ItemScore, User.username, User.role)
        .join(ItemScore, ItemScore.rating_id == Rating.id)
        .join(User, User.id == Rating.rater_id)
        .where(Rating.status == "submitted")
        .order_by(Rating.submitted_at, Rating.id, ItemScore.item_id)
    )
    if actor is not None:
        query = query.where(rating_readable(actor))
    return [
        {
            "rater": username,
            "session": rating.session_id,
            "rubric": rating.rubric_id,
            "item": score.item_id,
            "score": "na" if score.not_applicable or score.score is None else str(score.score),
            "comment": score.comment,
            "evidence": " ".join(str(n) for n in score.evidence),
            "rater_role": role,
            "rubric_version": rating.rubric_version,
            "submitted_at": rating.submitted_at.isoformat() if rating.submitted_at else "",
        }
        for rating, score, username, role in db.execute(query)
    ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP: prefix a quote)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _active(value: str) -> str:
    """The value `inert` protected, so an exported file imports back unchanged."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def write_export(rows: Iterable[Mapping[str, str]], fmt: str, out: io.IOBase | Path) -> None:
    """Write export rows as CSV or XLSX to a path or a binary stream; no cell runs as a formula."""
    rows = [{k: inert(v) for k, v in row.items()} for row in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        data = buffer.getvalue().encode("utf-8")
        if isinstance(out, Path):
            out.write_bytes(data)
        else:
            out.write(data)
        return
    book = Workbook()
    sheet = book.active
    sheet.title = "ratings"
    sheet.append(list(EXPORT_COLUMNS))
    for row in rows:
        sheet.append(
            [int(row[c]) if c == "score" and row[c].isdigit() else row[c] for c in EXPORT_COLUMNS]
        )
    book.save(out)  # type: ignore[arg-type]
