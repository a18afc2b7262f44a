"""Content commands: `validate`, `schema`, `content --json`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..content.library import load_library
from ..content.schema import SCHEMA_KINDS, json_schema
from ..content.summary import library_summary


def register(subparsers: argparse._SubParsersAction) -> None:
    validate = subparsers.add_parser(
        "validate",
        help="check rubrics, cases, sessions and Learn pages; one path:line:col: message each",
    )
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="files or folders (default: rubrics/, vignettes/ and learn/)",
    )
    validate.set_defaults(func=run_validate)

    schema = subparsers.add_parser("schema", help="print the JSON Schema of a content file kind")
    schema.add_argument("kind", choices=SCHEMA_KINDS)
    schema.set_defaults(func=run_schema)

    content = subparsers.add_parser("content", help="list the content library")
    content.add_argument("--json", action="store_true", help="print the listing as JSON")
    content.set_defaults(func=run_content)


def run_validate(args: argparse.Namespace) -> int:
    library = load_library(args.paths or None)
    for problem in library.problems:
        print(problem)
    if library.problems:
        return 1
    print(
        f"ok: {len(library.rubrics)} rubrics, {len(library.cases)} cases, "
        f"{len(library.sessions)} sessions, {len(library.learn_pages)} Learn pages"
    )
    return 0


def run_schema(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(args.kind), indent=2))
    return 0


def run_content(args: argparse.Namespace) -> int:
    library = load_library()
    summary = library_summary(library)
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    for rubric in summary["rubrics"]:
        print(f"rubric  {rubric['id']} v{rubric['version']}: {len(rubric['item_ids'])} items")
    for case in summary["cases"]:
        print(f"case    {case['id']}: {case['primary_problem_area']}")
    for session in summary["sessions"]:
        print(f"session {session['id']}: {session['phase']}, {session['turns']} turns")
    for problem in library.problems:
        print(f"problem {problem}")
    return 0
