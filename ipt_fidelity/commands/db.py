"""Database commands: `db upgrade`, `users add`, `ratings import|export`, `demo`."""

from __future__ import annotations

import argparse
import functools
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from .. import auth
from ..content.library import load_library
from ..demo import seed_demo
from ..store import StoreError, ensure_schema, make_engine, open_session
from ..store.exchange import export_rows, import_ratings, read_csv, write_export
from ..store.migrate import upgrade
from ..store.models import ROLES

Command = Callable[[argparse.Namespace], int]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the database subcommands to the CLI."""
    db = subparsers.add_parser("db", help="database maintenance").add_subparsers(
        dest="db_command", metavar="ACTION", required=True
    )
    migrate = db.add_parser("upgrade", help="migrate the database (DATABASE_URL) to this version")
    migrate.set_defaults(func=run_upgrade)

    users = subparsers.add_parser("users", help="manage accounts").add_subparsers(
        dest="users_command", metavar="ACTION", required=True
    )
    add = users.add_parser("add", help="create an account (the first one must be an admin)")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--display-name", help="the name shown in the app (default: the username)")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.set_defaults(func=run_users_add)

    ratings = subparsers.add_parser("ratings", help="import or export ratings").add_subparsers(
        dest="ratings_command", metavar="ACTION", required=True
    )
    imp = ratings.add_parser(
        "import", help="import submitted ratings from a CSV file (all or none)"
    )
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.set_defaults(func=run_ratings_import)
    exp = ratings.add_parser("export", help="export every submitted rating")
    exp.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    exp.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    exp.set_defaults(func=run_ratings_export)

    demo = subparsers.add_parser("demo", help="seed a demo cohort of simulated trainees")
    demo.set_defaults(func=run_demo)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def guarded(run: Command) -> Command:
    """Turn store and database failures into one plain line on stderr and exit code 1."""

    @functools.wraps(run)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except StoreError as exc:
            return _fail(str(exc))
        except ArgumentError as exc:
            return _fail(f"DATABASE_URL is not a valid database URL ({exc})")
        except SQLAlchemyError as exc:
            return _fail(f"the database failed: {getattr(exc, 'orig', None) or exc}")

    return wrapper


def _engine() -> Engine:
    """The configured database, migrated to this version."""
    engine = make_engine()
    ensure_schema(engine)
    return engine


@guarded
def run_upgrade(args: argparse.Namespace) -> int:
    print(f"database at revision {upgrade()}")
    return 0


def _read_password(from_stdin: bool) -> str | None:
    if from_stdin:
        # at most one character over the policy's limit is read, so the policy refuses it
        return sys.stdin.readline(auth.MAX_PASSWORD_LENGTH + 3).rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat it: ") != first:
        return None
    return first


@guarded
def run_users_add(args: argparse.Namespace) -> int:
    password = _read_password(args.password_stdin)
    if password is None:
        return _fail("the two passwords differ; nothing was created")
    engine = _engine()
    with open_session(engine) as db:
        if not auth.has_users(db) and args.role != "admin":
            return _fail("the first account must be an admin (--role admin)")
        if not auth.has_users(db):
            user = auth.create_first_admin(db, args.username, password, args.display_name)
        else:
            user = auth.create_user(
                db, None, args.username, args.role, password, display_name=args.display_name
            )
    print(f"created {user.role} {user.username!r}")
    return 0


@guarded
def run_ratings_import(args: argparse.Namespace) -> int:
    rows = read_csv(args.file)
    engine = _engine()
    with open_session(engine) as db:
        count = import_ratings(db, rows, load_library())
    print(f"imported {count} rating(s) from {len(rows)} row(s)")
    return 0


@guarded
def run_ratings_export(args: argparse.Namespace) -> int:
    engine = _engine()
    with open_session(engine, read_only=True) as db:
        rows = export_rows(db)
    if args.output is not None:
        write_export(rows, args.format, args.output)
        print(f"wrote {len(rows)} row(s) to {args.output}", file=sys.stderr)
    elif args.format == "xlsx" and sys.stdout.isatty():
        return _fail("an xlsx export needs -o FILE")
    else:
        write_export(rows, args.format, sys.stdout.buffer)
    return 0


@guarded
def run_demo(args: argparse.Namespace) -> int:
    engine = _engine()
    with open_session(engine) as db:
        result = seed_demo(db, load_library())
    print(result.describe())
    return 0
