"""Persistence: SQLAlchemy models, migrations, and permission-aware reads and writes.

Every function takes a SQLAlchemy `Session` (see `open_session`) and, for anything a person does,
the acting `User`; the rules of who may see what are applied inside the queries. Failures are
`StoreError` subclasses whose message can be shown to the user as it is. The table-shaped
modules load pandas/openpyxl, so they are imported on their own: `store.analytics` (dashboard
frames) and `store.exchange` (CSV import, CSV/XLSX export).
"""

from . import limits  # noqa: F401  (length checks before every flush)
from .assignments import create_assignment, list_assignments
from .audit_log import list_audit
from .blind import can_see_case_key, can_see_reference
from .decisions import list_decisions, record_decision
from .engine import get_engine, make_engine, normalise_url, open_session
from .errors import (
    Conflict,
    DatabaseUnavailable,
    InvalidInput,
    NotFound,
    PermissionDenied,
    StoreError,
)
from .formulation_attempts import list_attempts, record_attempt
from .migrate import ensure_schema, upgrade
from .models import (
    Assignment,
    AuditEntry,
    CertificationDecision,
    Cohort,
    FormulationAttempt,
    ImportedSession,
    ItemScore,
    Rating,
    User,
)
from .people import (
    add_member,
    cohort_members,
    create_cohort,
    get_user,
    is_cohort_supervisor,
    list_cohorts,
    list_users,
    load_actor,
    remove_member,
)
from .permissions import can_manage, can_read_user
from .ratings import (
    ScoreEntry,
    find_own_rating,
    get_or_create_draft,
    get_rating,
    get_scores,
    list_ratings,
    reopen_rating,
    save_item_score,
    save_item_scores,
    submit_rating,
)
from .targets import RateTarget, resolve_target
from .transactions import one_transaction
from .uploads import (
    add_imported_session,
    get_imported_session,
    list_imported_sessions,
    read_original,
)

__all__ = [
    "Assignment",
    "AuditEntry",
    "CertificationDecision",
    "Cohort",
    "Conflict",
    "DatabaseUnavailable",
    "FormulationAttempt",
    "ImportedSession",
    "InvalidInput",
    "ItemScore",
    "NotFound",
    "PermissionDenied",
    "RateTarget",
    "Rating",
    "ScoreEntry",
    "StoreError",
    "User",
    "add_imported_session",
    "add_member",
    "can_manage",
    "can_read_user",
    "can_see_case_key",
    "can_see_reference",
    "cohort_members",
    "create_assignment",
    "create_cohort",
    "ensure_schema",
    "find_own_rating",
    "get_engine",
    "get_imported_session",
    "get_or_create_draft",
    "get_rating",
    "get_scores",
    "get_user",
    "is_cohort_supervisor",
    "list_assignments",
    "list_attempts",
    "list_audit",
    "list_cohorts",
    "list_decisions",
    "list_imported_sessions",
    "list_ratings",
    "list_users",
    "load_actor",
    "make_engine",
    "normalise_url",
    "one_transaction",
    "open_session",
    "read_original",
    "record_attempt",
    "record_decision",
    "remove_member",
    "reopen_rating",
    "resolve_target",
    "save_item_score",
    "save_item_scores",
    "submit_rating",
    "upgrade",
]
