"""The ``agreement`` command: through its own argparse parser and through ``python -m``."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ipt_fidelity.commands import agreement

CSV = """unit,rater,score,item
s1,ana,3,empathy
s1,ben,4,empathy
s2,ana,2,empathy
s2,ben,2,empathy
s3,ana,5,empathy
s3,ben,,empathy
s4,ana,1,empathy
s4,ben,1,empathy
s1,ana,2,focus
s1,ben,2,focus
s2,ana,4,focus
s2,ben,3,focus
s3,ana,1,focus
s3,ben,1,focus
"""


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    agreement.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture
def ratings_csv(tmp_path: Path) -> Path:
    path = tmp_path / "ratings.csv"
    path.write_text(CSV)
    return path


def test_table_output(ratings_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["agreement", str(ratings_csv), "--level", "ordinal", "--categories", "1,2,3,4,5"])
    out = capsys.readouterr().out
    assert code == 0
    assert "item empathy: 4 units, 2 raters, 7 ratings" in out
    assert "weighted_kappa_quadratic" in out
    assert "Landis & Koch (1977)" in out


def test_json_output(ratings_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["agreement", str(ratings_csv), "--level", "interval", "--json", "--n-boot", "50"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(report["items"]) == {"empathy", "focus"}
    assert "ICC2" in report["items"]["focus"]["coefficients"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a,b\n1,2\n", "lack column"),
        ("unit,rater,score\n1,a,good\n1,b,bad\n", "must be numbers"),
        ("", "empty"),
        ("unit,rater,score\n", "no rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("unit,rater,score\n1,a,1\n1,a,2\n", "more than once"),
        ('unit,rater,score\n1,a,"1\n', "not a readable CSV"),
    ],
)
def test_bad_files_exit_1_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, message: str
) -> None:
    path = tmp_path / "bad.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    code = run(["agreement", str(path), "--level", "interval"])
    err = capsys.readouterr().err
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_missing_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["agreement", str(tmp_path / "nope.csv"), "--level", "nominal"]) == 1
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.slow
def test_python_m_entry_point(ratings_csv: Path, tmp_path: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "ipt_fidelity", "agreement", str(ratings_csv), "--level", "ordinal"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert "item focus" in ok.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,rater,score\n1,a,x\n1,b,y\n")
    failed = subprocess.run(
        [sys.executable, "-m", "ipt_fidelity", "agreement", str(bad), "--level", "interval"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert failed.returncode == 1
    assert failed.stderr.strip() == "error: scores at interval level must be numbers"
