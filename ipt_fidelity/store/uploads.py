"""Imported sessions: uploaded, redacted transcripts; the kept original is for few eyes only."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from ..content.vocab import PROBLEM_AREAS
from .audit_log import record
from .errors import InvalidInput, NotFound, PermissionDenied
from .models import PHASES, ImportedSession, User, utcnow
from .permissions import imported_session_readable, require_staff
from .transactions import reads, writes

ID_PREFIX = "upload-"


def new_session_id() -> str:
    """A fresh id for an uploaded session, never equal to a shipped session id."""
    return ID_PREFIX + secrets.token_hex(8)


@writes
def add_imported_session(
    db: Session,
    actor: User,
    *,
    title: str,
    therapist_id: str,
    phase: str,
    session_number: int,
    rubric_id: str,
    turns: list[dict[str, Any]],
    redaction_summary: dict[str, Any] | None = None,
    case_id: str | None = None,
    problem_areas: Sequence[str] = (),
    original: bytes | None = None,
    original_filename: str | None = None,
    at: datetime | None = None,
) -> ImportedSession:
    """Store an uploaded transcript (supervisors and admins) in one transaction, audited.

    `redaction_summary` holds counts only (findings redacted per category, kept, the format);
    it is stored with the row and logged as `upload.redact`.
    """
    require_staff(actor)
    if phase not in PHASES:
        raise InvalidInput(f"Phase must be one of {', '.join(PHASES)}.")
    areas = list(dict.fromkeys(problem_areas))
    if unknown := [a for a in areas if a not in PROBLEM_AREAS]:
        raise InvalidInput(f"Unknown problem area(s): {', '.join(unknown)}.")
    if not turns:
        raise InvalidInput("The transcript has no turns.")
    upload = ImportedSession(
        id=new_session_id(),
        title=title,
        therapist_id=therapist_id,
        phase=phase,
        session_number=session_number,
        case_id=case_id,
        rubric_id=rubric_id,
        turns=turns,
        redaction_summary=redaction_summary or {},
        problem_areas=areas,
        original=original,
        original_filename=original_filename,
        created_by=actor.id,
        created_at=at or utcnow(),
    )
    db.add(upload)
    db.flush()
    record(db, actor, "upload.add", session_id=upload.id, kept_original=original is not None)
    if redaction_summary:
        record(db, actor, "upload.redact", session_id=upload.id, **redaction_summary)
    return upload


@reads
def get_imported_session(db: Session, actor: User, session_id: str) -> ImportedSession:
    """An uploaded session the actor may read (without the original upload)."""
    query = select(ImportedSession).where(
        ImportedSession.id == session_id, imported_session_readable(actor)
    )
    upload = db.scalar(query)
    if upload is None:
        raise NotFound("No such uploaded session, or it is not visible to you.")
    return upload


@reads
def list_imported_sessions(db: Session, actor: User) -> list[ImportedSession]:
    """The uploaded sessions the actor may read, newest first."""
    query = (
        select(ImportedSession)
        .where(imported_session_readable(actor))
        .order_by(ImportedSession.created_at.desc(), ImportedSession.id)
    )
    return list(db.scalars(query))


@writes
def read_original(db: Session, actor: User, session_id: str) -> tuple[bytes, str]:
    """The kept original upload and its file name: its uploader and admins only; audited."""
    query = (
        select(ImportedSession)
        .options(undefer(ImportedSession.original))
        .where(ImportedSession.id == session_id)
    )
    upload = db.scalar(query)
    if upload is None:
        raise NotFound("No such uploaded session.")
    if actor.role != "admin" and actor.id != upload.created_by:
        raise PermissionDenied("Only the uploader or an administrator may open the original.")
    if upload.original is None:
        raise NotFound("The original upload was not kept.")
    record(db, actor, "upload.read_original", session_id=session_id)
    return upload.original, upload.original_filename or f"{session_id}.txt"
