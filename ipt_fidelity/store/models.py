"""The tables: people, cohorts, assignments, ratings, formulations, uploads, decisions, audit.

Content (rubrics, cases, shipped sessions) lives in YAML; rows refer to it by string id. Every
timestamp is an aware UTC datetime on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column

ROLES = ("admin", "supervisor", "trainee")
RATING_STATUSES = ("draft", "submitted")
ASSIGNMENT_KINDS = ("formulate", "rate")
DECISIONS = ("certified", "not_yet", "revoked")
PHASES = ("initial", "middle", "termination")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    """Declarative base with constraint names Alembic can find again on every database."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class User(Base):
    """A person who signs in: an admin, a supervisor or a trainee."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_one_of("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    temp_password_expires_at: Mapped[datetime | None]  # a temporary password's end
    temp_password_used_at: Mapped[datetime | None]  # its one sign-in
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"User({self.username!r}, {self.role})"


class SignInThrottle(Base):
    """Sign-in attempts counted per key, shared by every replica.

    A key is `user:<name>` (a known account), `unknown:<bucket>` (unknown names share 1024
    buckets, so guessing names cannot grow the table without bound) or `client:<address>`.
    """

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]


class AuthSession(Base):
    """A signed-in browser: the SHA-256 of its random cookie token, never the token itself."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class Cohort(Base):
    """A training group: its supervisors and trainees are its members."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Membership(Base):
    """A user in a cohort; the user's role says whether they supervise or train in it."""

    __tablename__ = "memberships"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assignment(Base):
    """Work given to a cohort or one user: a case to formulate or a session to rate."""

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint(_one_of("kind", ASSIGNMENT_KINDS), name="kind"),
        CheckConstraint("(cohort_id IS NULL) <> (user_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(120))
    rubric_id: Mapped[str | None] = mapped_column(String(80))
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    due_date: Mapped[date | None] = mapped_column(Date)
    second_rater: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Rating(Base):
    """One rater's rating of one session against one rubric: a draft until submitted."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("rater_id", "session_id", "rubric_id", name="uq_ratings_rater_session"),
        CheckConstraint(_one_of("status", RATING_STATUSES), name="status"),
        CheckConstraint(
            "(status = 'submitted') = (submitted_at IS NOT NULL)", name="submitted_has_time"
        ),
        Index("ix_ratings_session_rubric", "session_id", "rubric_id"),
        {"sqlite_autoincrement": True},  # ids of deleted drafts are never reused
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rater_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    session_id: Mapped[str] = mapped_column(String(120))
    rubric_id: Mapped[str] = mapped_column(String(80))
    rubric_version: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]


class ItemScore(Base):
    """A rating's score of one rubric item: a scale point, or not applicable, with evidence."""

    __tablename__ = "item_scores"
    __table_args__ = (
        CheckConstraint("NOT (not_applicable AND score IS NOT NULL)", name="score_or_na"),
    )

    rating_id: Mapped[int] = mapped_column(
        ForeignKey("ratings.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    score: Mapped[int | None] = mapped_column(Integer)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class FormulationAttempt(Base):
    """A trainee's submitted formulation of a case, with the feedback it received."""

    __tablename__ = "formulation_attempts"
    __table_args__ = (Index("ix_formulation_attempts_user_case", "user_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[str] = mapped_column(String(80))
    primary_area: Mapped[str] = mapped_column(String(40))
    secondary_area: Mapped[str | None] = mapped_column(String(40))
    dispute_stage: Mapped[str | None] = mapped_column(String(40))
    key_people: Mapped[list[Any]] = mapped_column(default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    self_check: Mapped[dict[str, Any]] = mapped_column(default=dict)
    feedback: Mapped[dict[str, Any]] = mapped_column(default=dict)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)


class FormulationDraft(Base):
    """A trainee's unsubmitted formulation of a case, saved on every change."""

    __tablename__ = "formulation_drafts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    payload: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseExposure(Base):
    """The first moment a trainee could have learnt a case's answer other than by formulating it.

    Opening a transcript of the case (its problem-area items show on the rating page) or a drill
    of it counts; a formulation attempt submitted after this moment is practice, not evidence.
    """

    __tablename__ = "case_exposures"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    first_at: Mapped[datetime] = mapped_column(default=utcnow)
    via: Mapped[str] = mapped_column(String(120))


class DrillSet(Base):
    """Drills a supervisor gives a cohort: these items on these sessions, by a date."""

    __tablename__ = "drill_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    items: Mapped[list[Any]] = mapped_column(default=list)
    sessions: Mapped[list[Any]] = mapped_column(default=list)
    due_date: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DrillAttempt(Base):
    """A trainee's answer to one drill: their score of one item on an excerpt, and the expert's."""

    __tablename__ = "drill_attempts"
    __table_args__ = (Index("ix_drill_attempts_user_item", "user_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    session_id: Mapped[str] = mapped_column(String(120))
    item_id: Mapped[str] = mapped_column(String(80))
    rubric_id: Mapped[str] = mapped_column(String(80))
    score: Mapped[int] = mapped_column(Integer)
    expert_score: Mapped[int] = mapped_column(Integer)
    drill_set_id: Mapped[int | None] = mapped_column(
        ForeignKey("drill_sets.id", ondelete="SET NULL")
    )
    shown_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImportedSession(Base):
    """An uploaded, redacted transcript; the original upload, if kept, is readable by few."""

    __tablename__ = "imported_sessions"
    __table_args__ = (CheckConstraint(_one_of("phase", PHASES), name="phase"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    therapist_id: Mapped[str] = mapped_column(String(80))
    phase: Mapped[str] = mapped_column(String(16))
    session_number: Mapped[int] = mapped_column(Integer)
    case_id: Mapped[str | None] = mapped_column(String(80))
    rubric_id: Mapped[str] = mapped_column(String(80))
    turns: Mapped[list[Any]]
    problem_areas: Mapped[list[Any]] = mapped_column(default=list)
    redaction_summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    original: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    original_filename: Mapped[str | None] = mapped_column(String(255))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CertificationDecision(Base):
    """A supervisor's or admin's decision on a trainee's certification."""

    __tablename__ = "certification_decisions"
    __table_args__ = (CheckConstraint(_one_of("decision", DECISIONS), name="decision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    decided_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """One line of the append-only audit log: who did what, when, with details."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
