"""``agreement`` command: inter-rater agreement of a long CSV of ratings.

    python -m ipt_fidelity agreement FILE.csv --level ordinal [--categories 0,1,2,3] [--json]

The CSV has columns ``unit``, ``rater``, ``score`` and optionally ``item``; an empty score is
missing. A readable table is printed by default, the full report as JSON with ``--json``. A
file that cannot be read as such a table exits 1 with a one-line message on stderr, as does a
score that is not finite ("inf", "nan", "1e999"), beyond +-1,000,000 or written with digits
other than 0-9. The file may hold at most 50 MB.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import sys
from typing import Any

import pandas as pd

from ipt_fidelity.agreement import LEVELS, agreement_report
from ipt_fidelity.agreement.ratings import NOT_APPLICABLE
from ipt_fidelity.content.inputfiles import (
    AGREEMENT_CSV_BYTES,
    FileRefused,
    digits_problem,
    read_capped,
)

MAX_ABS_SCORE = 1_000_000
"""Largest score magnitude (rubric scales are small; larger values overflow the squares)."""
MAX_N_BOOT = 100_000


def register(subparsers: Any) -> None:
    """Add the ``agreement`` subparser (with ``func=run``) to an argparse subparsers object."""
    parser = subparsers.add_parser(
        "agreement",
        help="inter-rater agreement of a CSV of ratings (unit, rater, score[, item])",
        description="Inter-rater agreement of a long CSV with columns unit, rater, score "
        "and optionally item. An empty score is missing; NA or N/A means not applicable.",
    )
    parser.add_argument("file", help="CSV file with columns unit, rater, score[, item]")
    parser.add_argument("--level", required=True, choices=LEVELS, help="level of measurement")
    parser.add_argument(
        "--categories",
        help="the rubric's scale points in order, comma-separated (e.g. 0,1,2,3,4,5,6)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--n-boot",
        type=int,
        default=1000,
        help="bootstrap replicates for Krippendorff's alpha interval (default 1000)",
    )
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    parser.set_defaults(func=run)


def _read(path: str) -> pd.DataFrame:
    try:
        data = read_capped(path, AGREEMENT_CSV_BYTES)
    except FileRefused as error:
        raise ValueError(str(error)) from None
    if b"\x00" in data[:8192]:
        raise ValueError(f"{path} is not a CSV text file (it looks binary)")
    try:
        frame = pd.read_csv(
            io.BytesIO(data), dtype=str, keep_default_na=False, skipinitialspace=True
        )
    except pd.errors.EmptyDataError:
        raise ValueError(f"{path} is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ValueError(f"{path} is not a readable CSV: {first}") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame


def _number_problem(text: str) -> str | None:
    """Why a score or category may not enter the maths: not finite, too large, odd digits."""
    if odd := digits_problem(text):
        return odd
    try:
        value = float(text)
    except ValueError:
        return None  # a label: nominal (or declared ordinal) scales take words
    if not math.isfinite(value):
        return "not a finite number (leave the cell empty for a missing score)"
    if abs(value) > MAX_ABS_SCORE:
        return f"out of range (scores lie between -{MAX_ABS_SCORE:,} and {MAX_ABS_SCORE:,})"
    return None


def _check_scores(frame: pd.DataFrame) -> None:
    """Refuse the first score that is not finite, out of range or written with odd digits."""
    if "score" not in frame.columns:
        return
    for number, cell in enumerate(frame["score"], start=2):
        text = str(cell).strip()
        if text.lower() in NOT_APPLICABLE - {"nan"}:
            continue
        if problem := _number_problem(text):
            raise ValueError(f"row {number}: score {text!r}: {problem}")


def _categories(text: str | None) -> list[str] | None:
    if text is None:
        return None
    categories = [c.strip() for c in text.split(",") if c.strip()]
    if not categories:
        raise ValueError("--categories lists no scale points (e.g. --categories 0,1,2,3)")
    for category in categories:
        if problem := _number_problem(category):
            raise ValueError(f"--categories: {category!r}: {problem}")
    return categories


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.3f}"


def _table(report: dict[str, Any]) -> str:
    lines = [f"level: {report['level']}   scale: {', '.join(map(str, report['categories']))}"]
    for item, body in report["items"].items():
        lines.append("")
        lines.append(
            f"item {item}: {body['n_units']} units, {body['n_raters']} raters, "
            f"{body['n_ratings']} ratings"
        )
        width = max(len(name) for name in body["coefficients"])
        lines.append(f"  {'coefficient':<{width}}  {'estimate':>8}  {'95% CI':<17}  meaning")
        for name, rec in body["coefficients"].items():
            ci = rec["ci95"]
            ci_text = f"{_fmt(ci[0])} to {_fmt(ci[1])}" if ci else ""
            meaning = rec.get("undefined_reason") or rec["interpretation"]
            if rec["estimate"] is not None and not rec["source"].startswith("descriptive"):
                meaning = f"{meaning} [{rec['source']}]"
            lines.append(f"  {name:<{width}}  {_fmt(rec['estimate']):>8}  {ci_text:<17}  {meaning}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code (0 on success, 1 on a bad input file)."""
    try:
        if args.n_boot > MAX_N_BOOT:
            raise ValueError(f"--n-boot may be at most {MAX_N_BOOT:,}")
        if args.seed < 0:
            raise ValueError("--seed must be 0 or more")
        categories = _categories(args.categories)
        frame = _read(args.file)
        if frame.empty:
            raise ValueError(f"{args.file} has no rows")
        _check_scores(frame)
        n_boot = max(args.n_boot, 0)
        report = agreement_report(frame, args.level, categories, n_boot=n_boot, seed=args.seed)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report, indent=2, allow_nan=False))
    else:
        print(_table(report))
    return 0
