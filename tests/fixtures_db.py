"""Pytest fixtures for the store: throwaway migrated databases, a tiny content root, people.

The backend is SQLite unless `DATABASE_URL` points at PostgreSQL. On PostgreSQL a template
database `ipt_test_<random>` is migrated once per test session and cloned for each test, and all
of them are dropped at the end, so parallel runs never share a database. Tests marked `postgres`
always use PostgreSQL (`DATABASE_URL`, else 127.0.0.1:5432/test) and skip when it is unreachable.
"""

from __future__ import annotations

import functools
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from ipt_fidelity import auth
from ipt_fidelity.content.library import Library, load_library
from ipt_fidelity.store import add_member, create_cohort, make_engine, normalise_url, open_session
from ipt_fidelity.store.migrate import upgrade
from ipt_fidelity.store.models import Cohort, User

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "correct horse battery"


def pg_server_url() -> str:
    """The PostgreSQL server to test against: `DATABASE_URL` if it is one, else the local one."""
    env = os.environ.get("DATABASE_URL", "")
    return normalise_url(env) if env.startswith("postgres") else PG_DEFAULT


def default_backend() -> str:
    """`postgresql` when `DATABASE_URL` names a PostgreSQL server, else `sqlite`."""
    return "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


class Databases:
    """Creates migrated throwaway databases by cloning one migrated template per backend."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.templates: dict[str, str] = {}
        self.created: list[str] = []
        self.admin: Engine | None = None
        self.pg_error: str | None = None

    def _admin(self) -> Engine:
        if self.pg_error:
            pytest.skip(self.pg_error)
        if self.admin is None:
            engine = create_engine(
                pg_server_url(), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
            )
            try:
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
            except OperationalError as exc:
                self.pg_error = f"PostgreSQL unreachable: {exc.orig}"
                pytest.skip(self.pg_error)
            self.admin = engine
        return self.admin

    def _pg_url(self, name: str) -> str:
        return make_url(pg_server_url()).set(database=name).render_as_string(hide_password=False)

    def empty(self, backend: str) -> str:
        """The URL of a new database without any tables."""
        if backend == "sqlite":
            return f"sqlite:///{self.folder / f'empty_{secrets.token_hex(4)}.sqlite3'}"
        name = f"ipt_test_{secrets.token_hex(4)}"
        with self._admin().connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self._pg_url(name)

    def _template(self, backend: str) -> str:
        if backend not in self.templates:
            url = self.empty(backend)
            upgrade(url)
            self.templates[backend] = url
        return self.templates[backend]

    def fresh(self, backend: str) -> str:
        """The URL of a new, migrated, empty database."""
        return self.clone(self._template(backend))

    def clone(self, template: str) -> str:
        """The URL of a new database with everything `template` holds (nobody may be connected)."""
        if template.startswith("sqlite"):
            path = self.folder / f"db_{secrets.token_hex(4)}.sqlite3"
            shutil.copyfile(make_url(template).database or "", path)
            return f"sqlite:///{path}"
        name = f"{make_url(template).database}_{secrets.token_hex(3)}"
        with self._admin().connect() as connection:
            connection.execute(
                text(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(template).database}"')
            )
        self.created.append(name)
        return self._pg_url(name)

    def drop(self, url: str) -> None:
        """Drop one database made by `fresh` or `empty` (SQLite files go with the temp folder)."""
        name = make_url(url).database
        if url.startswith("sqlite") or name not in self.created:
            return
        with self._admin().connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.created.remove(name)

    def drop_all(self) -> None:
        if self.admin is None:
            return
        with self.admin.connect() as connection:
            for name in reversed(self.created):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    manager = Databases(tmp_path_factory.mktemp("databases"))
    yield manager
    manager.drop_all()


@pytest.fixture
def db_url(databases: Databases) -> Iterator[str]:
    """A fresh migrated database on the default backend."""
    url = databases.fresh(default_backend())
    yield url
    databases.drop(url)


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def any_url(request: pytest.FixtureRequest, databases: Databases) -> Iterator[str]:
    """A fresh migrated database, once on SQLite and once on PostgreSQL."""
    url = databases.fresh(request.param)
    yield url
    databases.drop(url)


@pytest.fixture(params=BACKENDS)
def any_empty_url(request: pytest.FixtureRequest, databases: Databases) -> Iterator[str]:
    """A new database without tables, once on SQLite and once on PostgreSQL."""
    url = databases.empty(request.param)
    yield url
    databases.drop(url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with open_session(engine) as session:
        yield session


# ---------------------------------------------------------------- content

RUBRIC = {
    "id": "mini",
    "version": "1.0",
    "title": "Mini rubric",
    "manual": "Test manual",
    "scale": {"min": 1, "max": 3, "labels": {1: "poor", 2: "fair", 3: "good"}},
    "sections": [
        {
            "id": "core",
            "title": "Core",
            "items": [
                {
                    "id": item_id,
                    "text": f"{item_id} text",
                    "description": f"{item_id} description",
                    "kind": "unique_essential",
                    "dimension": "adherence",
                    "anchors": {1: "none", 2: "some", 3: "full"},
                    **extra,
                }
                for item_id, extra in (
                    ("focus", {"not_applicable_allowed": False}),
                    ("grief_work", {"problem_areas": ["grief"]}),
                    ("dispute_work", {"problem_areas": ["role_dispute"]}),
                    ("closing", {"phases": ["termination"]}),
                )
            ],
        }
    ],
    "sources": [{"id": "src", "citation": "A test source."}],
}
CASE = {
    "id": "mini-case",
    "title": "Mini case",
    "difficulty": "introductory",
    "rubric": "mini",
    "vignette": {
        "setting": "Primary care",
        "client": {"pseudonym": "Ana", "age": 60, "gender": "woman"},
        "referral": "Low mood since her husband died in spring.",
        "presenting_symptoms": "Sleeps badly.",
        "history": "No previous episodes.",
        "interpersonal_inventory": [
            {
                "name": "Jon",
                "relationship": "late husband",
                "quality": "Close.",
                "expectations": "Companionship.",
            }
        ],
        "recent_events": "The funeral was in May.",
    },
    "key": {
        "primary_problem_area": "grief",
        "key_people": ["Jon"],
        "cues": [{"quote": "since her husband died", "area": "grief", "why": "A death."}],
        "rationale": "Symptoms began after a death.",
        "model_formulation": "Grief after Jon's death.",
        "teaching_points": ["Look for a death."],
        "common_mistakes": ["Calling it a transition."],
    },
    "sources": [{"id": "src", "citation": "A test source."}],
}
SESSION = {
    "id": "mini-session",
    "case": "mini-case",
    "session_number": 5,
    "phase": "middle",
    "fidelity": "high",
    "difficulty": "introductory",
    "turns": [
        {"n": 1, "speaker": "therapist", "text": "Tell me about Jon."},
        {"n": 2, "speaker": "client", "text": "I miss him."},
        {"n": 3, "speaker": "therapist", "text": "What was the funeral like?"},
    ],
    "reference_rating": {
        "rubric": "mini",
        "rubric_version": "1.0",
        "items": {
            "focus": {"score": 3, "rationale": "Stays on Jon.", "evidence": [1]},
            "grief_work": {"score": 2, "rationale": "Some mourning work.", "evidence": [3]},
        },
    },
}


OTHER_SESSION = {**SESSION, "id": "other-session", "session_number": 6}


def write_content(root: Path) -> Path:
    """Write the one-rubric, one-case, two-session content root used by the store tests."""
    (root / "rubrics").mkdir(parents=True)
    sessions = root / "vignettes" / "mini-case" / "sessions"
    sessions.mkdir(parents=True)
    (root / "rubrics" / "mini.yaml").write_text(yaml.safe_dump(RUBRIC, sort_keys=False))
    (root / "vignettes" / "mini-case" / "case.yaml").write_text(yaml.safe_dump(CASE))
    for session in (SESSION, OTHER_SESSION):
        path = sessions / f"{session['id']}.yaml"
        path.write_text(yaml.safe_dump(session, sort_keys=False))
    return root


@functools.cache
def mini_content_dir() -> Path:
    """The store tests' content root (one rubric, one case, two sessions), written once a run."""
    return write_content(Path(tempfile.mkdtemp(prefix="ipt-content-")))


@functools.cache
def mini_library() -> Library:
    """The store tests' content, loaded once per run."""
    loaded = load_library(root=mini_content_dir())
    assert not loaded.problems, [str(p) for p in loaded.problems]
    return loaded


@pytest.fixture(scope="session")
def content_dir() -> Path:
    return mini_content_dir()


@pytest.fixture(scope="session")
def library() -> Library:
    return mini_library()


# ---------------------------------------------------------------- people


@dataclass
class People:
    """The cast of the permission tests: two cohorts with a supervisor each, two trainees in A."""

    admin: User
    sup_a: User
    sup_b: User
    trainee: User
    peer: User
    outsider: User
    cohort_a: int
    cohort_b: int

    def by_name(self, name: str) -> User:
        return getattr(self, name)


def load_people(db: Session) -> People:
    """The cast of `make_people` read back from a copy of a database that holds it."""
    users = {u.username: u for u in db.scalars(select(User))}
    cohorts = {c.name: c.id for c in db.scalars(select(Cohort))}
    names = ("admin", "sup_a", "sup_b", "trainee", "peer", "outsider")
    return People(
        cohort_a=cohorts["Cohort A"],
        cohort_b=cohorts["Cohort B"],
        **{name: users[name] for name in names},
    )


def make_people(db: Session) -> People:
    """Create an admin, cohorts A and B, their supervisors, trainees `trainee` and `peer` in A
    and `outsider` in B (cheap argon2 parameters keep this fast)."""
    admin = auth.create_first_admin(db, "admin", PASSWORD)
    cohort_a = create_cohort(db, admin, "Cohort A").id
    cohort_b = create_cohort(db, admin, "Cohort B").id
    users = {}
    for name, role, cohort in (
        ("sup_a", "supervisor", cohort_a),
        ("sup_b", "supervisor", cohort_b),
        ("trainee", "trainee", cohort_a),
        ("peer", "trainee", cohort_a),
        ("outsider", "trainee", cohort_b),
    ):
        users[name] = auth.create_user(db, admin, name, role, PASSWORD)
        add_member(db, admin, cohort, users[name].id)
    return People(admin=admin, cohort_a=cohort_a, cohort_b=cohort_b, **users)


@pytest.fixture
def people(db: Session) -> People:
    return make_people(db)


@pytest.fixture(autouse=True, scope="session")
def _fast_hashing() -> Iterator[None]:
    """Cheap argon2id parameters for tests (the real ones cost ~50 ms per hash)."""
    from argon2 import PasswordHasher

    saved = auth.HASHER
    auth.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    auth.HASHER = saved
