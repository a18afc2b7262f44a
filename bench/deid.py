"""De-identification benchmark: recall and precision on the independent corpus, and scan speed.

Run `python bench/deid.py --json`. The corpus (bench/deid_corpus/) is read through the importers
exactly as an upload is, scanned with no reviewer-added names, and compared with its planted
identifiers: one is found when findings cover every character of it; a finding is a true positive
when it overlaps one. Speed: the median time to scan a 15,000-word session (about 90 minutes of
talk) made of the corpus turns, after a first scan that loads the lexicons (timed separately);
wall-clock and CPU time are both given, with the machine's load average, since a shared machine
slows the wall clock.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import yaml

from ipt_fidelity.content.deid import Finding, scan
from ipt_fidelity.content.importers import ImportedTranscript, import_file

CORPUS = Path(__file__).parent / "deid_corpus"
TARGET_WORDS = 15_000
TARGET_SECONDS = 2.0
RUNS = 5


def main() -> None:
    """Print the report as JSON (--json) or as a short table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    args = parser.parse_args()
    report = run()
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _print(report)


def run() -> dict:
    """Score every corpus file, then time the scan of a 15,000-word session."""
    expected = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
    cold_start = time.perf_counter()
    scored = {name: _score(name, spec) for name, spec in expected.items()}
    cold = time.perf_counter() - cold_start
    planted = [
        row for name, s in scored.items() if not expected[name]["clean"] for row in s["spans"]
    ]
    findings = [
        f for name, s in scored.items() if not expected[name]["clean"] for f in s["findings"]
    ]
    clean = {name: s for name, s in scored.items() if expected[name]["clean"]}
    clean_words = sum(s["words"] for s in clean.values())
    false_clean = [f for s in clean.values() for f in s["findings"]]
    return {
        "corpus": {
            "sessions": len(expected) - len(clean),
            "clean_sessions": len(clean),
            "formats": sorted({import_file(CORPUS / "sessions" / n).format for n in expected}),
            "planted": len(planted),
            "categories": len({r["category"] for r in planted}),
        },
        "recall": _recall(planted),
        "precision": _precision(findings),
        "clean": {
            "words": clean_words,
            "findings": len(false_clean),
            "per_1000_words": round(1000 * len(false_clean) / clean_words, 2),
            "list": [_show(f) for f in false_clean],
        },
        "missed": [
            f"{r['file']} turn {r['turn']}: {r['category']} {r['text']!r}"
            for r in planted
            if not r["found"]
        ],
        "false_positives": [_show(f) for f in findings if not f["true"]],
        "speed": _speed(cold),
    }


def _score(name: str, spec: dict) -> dict:
    """Import, scan, and match one file's findings against its planted identifiers."""
    transcript = import_file(CORPUS / "sessions" / name)
    numbers = _align(name, transcript, spec["turns"])
    findings = scan(transcript)
    by_turn: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        by_turn[f.turn].append(f)
    spans, cursor = [], Counter()
    for row in spec["identifiers"]:
        n = numbers[row["turn"]]
        text = next(t.text for t in transcript.turns if t.n == n)
        start = text.index(row["text"], cursor[n])
        end = start + len(row["text"])
        cursor[n] = end
        covered = _covered(by_turn[n], start, end)
        spans.append({**row, "file": name, "turn": n, "start": start, "end": end, "found": covered})
    marked = defaultdict(list)
    for s in spans:
        marked[s["turn"]].append((s["start"], s["end"]))
    scored = [
        {
            "file": name,
            "category": f.category,
            "text": f.text,
            "turn": f.turn,
            "reason": f.reason,
            "true": any(f.start < b and a < f.end for a, b in marked[f.turn]),
        }
        for f in findings
    ]
    words = sum(len(t.text.split()) for t in transcript.turns)
    return {"spans": spans, "findings": scored, "words": words}


def _align(name: str, transcript: ImportedTranscript, texts: list[str]) -> dict[int, int]:
    """Source turn number -> imported turn number, matching texts in order (extra turns skipped)."""
    numbers, turns = {}, iter(transcript.turns)
    for i, text in enumerate(texts, start=1):
        turn = next((t for t in turns if t.text == " ".join(text.split())), None)
        if turn is None:
            raise SystemExit(f"{name}: turn {i} of the source is not in the imported transcript")
        numbers[i] = turn.n
    return numbers


def _covered(findings: list[Finding], start: int, end: int) -> bool:
    """True when the union of findings covers every character of [start, end)."""
    at = start
    for f in sorted(findings, key=lambda f: f.start):
        if f.start <= at < f.end:
            at = f.end
    return at >= end


def _recall(planted: list[dict]) -> dict:
    """Found / planted, overall and per category."""
    per: dict[str, list[bool]] = defaultdict(list)
    for r in planted:
        per[r["category"]].append(r["found"])
    return {
        "overall": _ratio([r["found"] for r in planted]),
        "by_category": {c: _ratio(v) for c, v in sorted(per.items())},
    }


def _precision(findings: list[dict]) -> dict:
    """True findings / findings, overall and per finding category."""
    per: dict[str, list[bool]] = defaultdict(list)
    for f in findings:
        per[f["category"]].append(f["true"])
    return {
        "overall": _ratio([f["true"] for f in findings]),
        "by_category": {c: _ratio(v) for c, v in sorted(per.items())},
    }


def _ratio(hits: list[bool]) -> dict:
    """{'value': share, 'hits': k, 'of': n}."""
    return {
        "value": round(sum(hits) / len(hits), 4) if hits else None,
        "hits": sum(hits),
        "of": len(hits),
    }


def _show(f: dict) -> str:
    """One finding as a line: file, turn, category, text and reason."""
    return f"{f['file']} turn {f['turn']}: {f['category']} {f['text']!r} ({f['reason']})"


def _speed(cold: float) -> dict:
    """Median seconds to scan a 15,000-word session built from the corpus turns."""
    session = _long_session()
    words = sum(len(t.text.split()) for t in session.turns)
    times, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        scan(session)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    median = statistics.median(times)
    return {
        "words": words,
        "turns": len(session.turns),
        "median_seconds": round(median, 3),
        "median_cpu_seconds": round(statistics.median(cpu), 3),
        "runs": [round(t, 3) for t in times],
        "target_seconds": TARGET_SECONDS,
        "within_target": median < TARGET_SECONDS,
        "load_average": round(os.getloadavg()[0], 1),
        "first_corpus_pass_seconds": round(cold, 3),
    }


def _long_session() -> ImportedTranscript:
    """The corpus turns repeated, renumbered, until the session holds 15,000 words."""
    sources = [import_file(p) for p in sorted((CORPUS / "sessions").iterdir())]
    pool = [t for s in sources for t in s.turns]
    turns, words = [], 0
    while words < TARGET_WORDS:
        for t in pool:
            turns.append(replace(t, n=len(turns) + 1))
            words += len(t.text.split())
            if words >= TARGET_WORDS:
                break
    return ImportedTranscript("text", list(dict.fromkeys(t.speaker for t in turns)), turns)


def _print(report: dict) -> None:
    """A short human-readable summary."""
    recall, precision = report["recall"], report["precision"]
    print(f"corpus: {report['corpus']}")
    print(f"recall {recall['overall']}  precision {precision['overall']}")
    for c, r in recall["by_category"].items():
        print(f"  {c:<8} recall {r['value']} ({r['hits']}/{r['of']})")
    print(f"clean: {report['clean']['per_1000_words']} findings per 1,000 words")
    print(f"speed: {report['speed']}")
    for line in report["missed"]:
        print("missed:", line)
    for line in report["false_positives"] + report["clean"]["list"]:
        print("false:", line)


if __name__ == "__main__":
    main()
