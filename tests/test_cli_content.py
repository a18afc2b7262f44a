"""The content commands as scripts call them: exit codes, output forms, the JSON listing."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from ipt_fidelity.cli import main
from ipt_fidelity.content.schema import SCHEMA_KINDS, json_schema

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "data" / "content"


@dataclass
class Result:
    """What a command printed and returned."""

    returncode: int
    stdout: str
    stderr: str


def cli(*args: str, content: Path | None = None) -> Result:
    """Run a command in-process, as `python -m ipt_fidelity` would (the process boundary itself
    is tested once, in `test_the_module_runs_as_a_script`)."""
    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.get("IPT_FIDELITY_CONTENT")
    if content:
        os.environ["IPT_FIDELITY_CONTENT"] = str(content)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse's usage errors
                code = int(exc.code or 0)
    finally:
        if content and saved is None:
            os.environ.pop("IPT_FIDELITY_CONTENT")
        elif content:
            os.environ["IPT_FIDELITY_CONTENT"] = saved
    return Result(code, out.getvalue(), err.getvalue())


@pytest.mark.slow
def test_the_module_runs_as_a_script():
    result = subprocess.run(
        [sys.executable, "-m", "ipt_fidelity", "validate", str(MINI)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "ok: 1 rubrics, 1 cases, 1 sessions" in result.stdout


def test_validate_accepts_valid_content():
    result = cli("validate", str(MINI))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: 1 rubrics, 1 cases, 1 sessions" in result.stdout


def test_validate_reports_each_problem_on_its_own_line(tmp_path: Path):
    bad = tmp_path / "rubrics"
    bad.mkdir()
    (bad / "a.yaml").write_text("id: a\nversion: one\n")
    (bad / "b.yaml").write_bytes(b"\x00\x01\x02")
    result = cli("validate", str(tmp_path))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert any(line.endswith("b.yaml:1:1: binary file: expected UTF-8 YAML text") for line in lines)
    assert any("a.yaml:2:10: version: String should match pattern" in line for line in lines)
    assert any("a.yaml:1:1: title: required field is missing" in line for line in lines)
    assert "Traceback" not in result.stderr


def test_validate_nonexistent_path_is_a_problem_not_a_crash(tmp_path: Path):
    result = cli("validate", str(tmp_path / "missing.yaml"))
    assert result.returncode == 1
    assert "cannot read file" in result.stdout
    assert "Traceback" not in result.stderr


def test_content_json_lists_what_scripts_need():
    result = cli("content", "--json", content=MINI)
    assert result.returncode == 0, result.stderr
    listing = json.loads(result.stdout)
    assert listing["rubrics"][0] | {"item_ids": None} == {
        "id": "mini",
        "version": "1.0",
        "title": "Mini rubric for tests",
        "target": "session",
        "scale": {"min": 0, "max": 2},
        "item_ids": None,
    }
    assert listing["rubrics"][0]["item_ids"] == [
        "init_inventory",
        "grief_mourning",
        "dispute_stage",
        "pro_cbt",
    ]
    assert listing["cases"] == [
        {
            "id": "mini-case",
            "title": "A small case",
            "primary_problem_area": "grief",
            "secondary_problem_area": None,
            "dispute_stage": None,
            "rubric": "mini",
        }
    ]
    assert listing["sessions"] == [
        {
            "id": "mini-case-s06",
            "case": "mini-case",
            "phase": "middle",
            "session_number": 6,
            "fidelity": "high",
            "difficulty": "introductory",
            "use": "calibration",
            "turns": 3,
            "rubric": "mini",
            "item_ids": ["grief_mourning", "pro_cbt"],
            "has_reference_rating": True,
        }
    ]


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_schema_command_prints_the_models_schema(kind: str):
    result = cli("schema", kind)
    assert result.returncode == 0
    assert json.loads(result.stdout) == json_schema(kind)


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_committed_schemas_match_the_models(kind: str):
    committed = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text())
    assert committed == json_schema(kind), "run: python -m ipt_fidelity schema KIND > schemas/..."


def test_schema_rejects_an_unknown_kind():
    result = cli("schema", "vignette")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_console_script_is_the_same_cli():
    from ipt_fidelity.cli import build_parser

    assert build_parser().prog == "ipt-fidelity"
    import tomllib

    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"ipt-fidelity": "ipt_fidelity.cli:main"}
