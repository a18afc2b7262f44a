"""Transcript commands: `import-transcript`, `deid-scan`, `redact`."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from pydantic import ValidationError

from ..content.deid import CATEGORIES, Finding, ReviewDecisions, redact, scan
from ..content.importers import (
    FORMATS,
    SPEAKER_METHODS,
    ImportedTranscript,
    RoleMappingError,
    TranscriptImportError,
    assign_speakers,
    import_file,
    map_roles,
    session_id,
    session_yaml,
    set_speaker,
    to_session,
)
from ..content.inputfiles import digits_problem
from ..content.vocab import PHASES

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the three transcript subcommands to the CLI's subparsers."""
    imp = subparsers.add_parser(
        "import-transcript", help="read a recorded-session transcript (vtt, srt, otter, ...)"
    )
    _add_input(imp)
    _add_roles(imp)
    out = imp.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the transcript as JSON")
    out.add_argument("-o", "--output", type=Path, metavar="OUT.yaml", help="write a session YAML")
    _add_session(imp)
    imp.set_defaults(func=run_import)

    scan_cmd = subparsers.add_parser(
        "deid-scan", help="list suspected identifiers; exit 1 when any are found"
    )
    _add_input(scan_cmd)
    _add_names(scan_cmd)
    scan_cmd.add_argument("--json", action="store_true", help="print the findings as JSON")
    scan_cmd.set_defaults(func=run_scan)

    red = subparsers.add_parser("redact", help="write the transcript with every finding redacted")
    _add_input(red)
    _add_names(red)
    red.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT", help=".json, or .yaml session"
    )
    red.add_argument(
        "--unflag",
        nargs="+",
        action="extend",
        default=[],
        metavar="ID",
        help="finding ids (from deid-scan --json) to keep in the text: not identifiers",
    )
    red.add_argument(
        "--add",
        nargs="+",
        action="extend",
        default=[],
        metavar="CATEGORY:TEXT",
        help=f"missed identifiers to redact everywhere, e.g. NAME:Biscuit ({'/'.join(CATEGORIES)})",
    )
    _add_roles(red)
    _add_session(red)
    red.set_defaults(func=run_redact)


def _add_input(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", type=Path, metavar="FILE", help="transcript: .vtt .srt .json .docx .txt"
    )
    parser.add_argument(
        "--format", choices=("auto", *FORMATS), default="auto", help="default: detect"
    )
    group = parser.add_argument_group("speakers for a transcript without labels (plain Whisper)")
    group.add_argument(
        "--assign-speakers",
        choices=SPEAKER_METHODS,
        help="label turns 'Speaker 1', 'Speaker 2' by alternation or by pauses",
    )
    group.add_argument(
        "--pause", type=float, default=1.0, metavar="SECONDS", help="for pause: default 1.0"
    )
    group.add_argument(
        "--set-speaker",
        nargs="+",
        action="extend",
        default=[],
        metavar="TURN=LABEL",
        help="correct turns one by one, e.g. 7='Speaker 1'",
    )


def _add_names(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--names", nargs="+", action="extend", default=[], metavar="NAME", help="names to find"
    )


def _add_roles(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--therapist",
        nargs="+",
        action="extend",
        metavar="LABEL",
        help="the therapist's speaker label (two or more for co-therapy)",
    )
    parser.add_argument(
        "--interpreter",
        nargs="+",
        action="extend",
        default=[],
        metavar="LABEL",
        help="interpreters' speaker labels (their turns are kept)",
    )
    parser.add_argument(
        "--other",
        nargs="+",
        action="extend",
        default=[],
        metavar="LABEL",
        help="speakers left out of a session: not therapist, client or interpreter",
    )


def _add_session(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("session YAML (with -o FILE.yaml)")
    group.add_argument("--id", help="session id (default: from the file name)")
    group.add_argument("--case", default="imported", help="case id (default: imported)")
    group.add_argument("--session-number", type=int, default=1, help="1..30 (default: 1)")
    group.add_argument("--phase", choices=PHASES, help="default: initial for 1-3, else middle")
    group.add_argument(
        "--fidelity",
        choices=("high", "mixed", "low"),
        help="required for a session YAML: the model has no 'unknown' fidelity",
    )
    group.add_argument(
        "--drop-other", action="store_true", help="leave out the turns of --other speakers"
    )


def run_import(args: argparse.Namespace) -> int:
    """import-transcript: print a summary or JSON, or write a session YAML."""
    try:
        transcript = _load(args)
        title = transcript.title or f"Imported from {args.file.name}"
        text = _session_text(transcript, args, args.file, title) if args.output else ""
    except (TranscriptImportError, RoleMappingError, ValidationError) as exc:
        return _fail(exc)
    if args.output:
        return _write(args.output, text, f"wrote {args.output} ({len(transcript.turns)} turns)")
    if args.json:
        print(json.dumps(transcript.to_json(), indent=2, ensure_ascii=False))
    else:
        _print_summary(args.file.name, transcript)
    return EXIT_OK


def run_scan(args: argparse.Namespace) -> int:
    """deid-scan: list findings; exit 0 when none, 1 when some, 2 when the file is unreadable."""
    try:
        transcript = _load(args)
    except (TranscriptImportError, RoleMappingError) as exc:
        return _fail(exc)
    findings = scan(transcript, args.names)
    if args.json:
        data = {"findings": [{"id": f.id, **f.to_json()} for f in findings]}
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        for f in findings:
            print(
                f"turn {f.turn:>4}  {f.start:>5}-{f.end:<5} {f.category:<8} {f.text}  ({f.reason})"
            )
        print(f"{len(findings)} finding(s){_counts(findings)}")
    return EXIT_FOUND if findings else EXIT_OK


def run_redact(args: argparse.Namespace) -> int:
    """redact: every finding but the --unflag ones, plus --add values; write JSON or a session
    YAML (for .yaml/.yml)."""
    try:
        transcript = _load(args)
        decisions = _decisions(transcript, args)
        findings = decisions.accepted
        redacted = redact(transcript, findings, args.names)
        if args.output.suffix.lower() in (".yaml", ".yml"):
            # the input's name may hold a client's name: id and title come from OUT instead
            text = _session_text(redacted, args, args.output, "Redacted transcript")
        else:
            text = json.dumps(redacted.to_json(), indent=2, ensure_ascii=False) + "\n"
    except (TranscriptImportError, RoleMappingError, ValidationError, ValueError) as exc:
        return _fail(exc)
    counts = decisions.counts()
    done = (
        f"wrote {args.output}: {len(findings)} finding(s) redacted{_counts(findings)}; "
        f"reviewer removed {counts['removed']}, added {counts['added']}"
    )
    return _write(args.output, text, done)


def _decisions(transcript: ImportedTranscript, args: argparse.Namespace) -> ReviewDecisions:
    """The scan's findings with the command line's --unflag ids removed and --add values added."""
    decisions = ReviewDecisions.of(scan(transcript, args.names)).unflag(args.unflag)
    for item in args.add:
        category, sep, value = item.partition(":")
        if not sep:
            raise ValueError(f"--add {item!r}: write CATEGORY:TEXT, e.g. NAME:Biscuit")
        decisions = decisions.add_text(transcript, value, category)
    return decisions


def _write(path: Path, text: str, done: str) -> int:
    """Write an output file and report it; a write error is one line, not a traceback."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        exc.filename = exc.filename or str(path)  # a full disk names no file of its own
        return _fail(exc)
    print(done)
    return EXIT_OK


def _load(args: argparse.Namespace) -> ImportedTranscript:
    """Import FILE, assign and correct speakers, apply the roles, and show import warnings."""
    transcript = import_file(args.file, args.format)
    if args.assign_speakers:
        transcript = assign_speakers(transcript, args.assign_speakers, pause=args.pause)
    for item in args.set_speaker:
        turn, sep, label = item.partition("=")
        if odd := digits_problem(turn):
            raise RoleMappingError(f"--set-speaker {item!r}: {odd}")
        if not sep or not turn.strip().isdigit():
            raise RoleMappingError(f"--set-speaker {item!r}: write TURN=LABEL, e.g. 7='Speaker 1'")
        transcript = set_speaker(transcript, int(turn), label)
    for warning in transcript.warnings:
        print(f"warning: {args.file.name}: {warning}", file=sys.stderr)
    if getattr(args, "therapist", None):
        transcript = map_roles(transcript, args.therapist, args.other, args.interpreter)
    elif getattr(args, "other", None) or getattr(args, "interpreter", None):
        raise RoleMappingError("--other and --interpreter need --therapist")
    return transcript


def _session_text(
    transcript: ImportedTranscript, args: argparse.Namespace, source: Path, title: str
) -> str:
    """The session YAML; --fidelity must be given since a session's fidelity cannot be unknown."""
    if not args.fidelity:
        raise RoleMappingError(
            "a session YAML needs --fidelity high|mixed|low (the model has no 'unknown')"
        )
    session = to_session(
        transcript,
        id=args.id or session_id(source.stem),
        case=args.case,
        session_number=args.session_number,
        phase=args.phase or ("initial" if args.session_number <= 3 else "middle"),
        fidelity=args.fidelity,
        title=title,
        drop_other=args.drop_other,
    )
    return session_yaml(session)


def _print_summary(name: str, transcript: ImportedTranscript) -> None:
    """Format, speakers with role and turn count, and the first turns."""
    print(f"{name}: {transcript.format}, {len(transcript.turns)} turns")
    if transcript.title:
        print(f"  title: {transcript.title}")
    for speaker in transcript.speakers or [""]:
        turns = [t for t in transcript.turns if t.speaker == speaker]
        role = turns[0].role if turns else "unknown"
        print(f"  {speaker or '(no label)':<24} {role:<10} {len(turns)} turns")
    for t in transcript.turns[:5]:
        stamp = "" if t.start is None else f"[{int(t.start) // 60}:{int(t.start) % 60:02d}] "
        text = t.text if len(t.text) <= 70 else t.text[:69] + "…"
        print(f"  {t.n:>3} {stamp}{t.speaker or '?'}: {text}")


def _counts(findings: list[Finding]) -> str:
    """' (NAME 3, DATE 1)' or ''."""
    counts = Counter(f.category for f in findings)
    return f" ({', '.join(f'{c} {n}' for c, n in counts.most_common())})" if counts else ""


def _fail(exc: Exception) -> int:
    """Print one line for a user error and return the error exit code."""
    if isinstance(exc, ValidationError):
        detail = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        message = f"invalid session: {detail}"
    elif isinstance(exc, OSError):
        message = f"{exc.filename}: {exc.strerror or exc}"
    else:
        message = str(exc)
    print(f"error: {message}", file=sys.stderr)
    return EXIT_ERROR
