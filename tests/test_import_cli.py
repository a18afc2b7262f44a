"""The transcript commands: import-transcript, deid-scan, redact (in-process and subprocess)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ipt_fidelity import cli
from ipt_fidelity.commands import transcripts
from ipt_fidelity.content.models import Session

DATA = Path(__file__).parent / "data" / "transcripts"
ROOT = Path(__file__).parent.parent
REGISTERED = "transcripts" in cli.COMMAND_MODULES
BOOTSTRAP = (
    "import argparse, sys\n"
    "from ipt_fidelity.commands import transcripts\n"
    "p = argparse.ArgumentParser(prog='ipt-fidelity')\n"
    "transcripts.register(p.add_subparsers())\n"
    "a = p.parse_args(sys.argv[1:])\n"
    "sys.exit(a.func(a))\n"
)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run a command in-process through `register` on a fresh parser."""
    parser = argparse.ArgumentParser(prog="ipt-fidelity")
    transcripts.register(parser.add_subparsers())
    args = parser.parse_args([str(a) for a in argv])
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def run_process(*argv: str) -> subprocess.CompletedProcess:
    """Run the real CLI when the integrator has registered the module, else the same commands."""
    head = ["-m", "ipt_fidelity"] if REGISTERED else ["-c", BOOTSTRAP]
    return subprocess.run(
        [sys.executable, *head, *[str(a) for a in argv]],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_import_json_shape(capsys):
    code, out, _ = run(capsys, "import-transcript", DATA / "roles.txt", "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["format", "title", "speakers", "turns"]
    assert data["turns"][0] == {
        "n": 1,
        "speaker": "Therapist",
        "role": "therapist",
        "start": 3.0,
        "text": "Welcome back. How did the conversation with your partner go?",
    }


def test_import_summary_and_warnings_on_stderr(capsys):
    code, out, err = run(capsys, "import-transcript", DATA / "teams.vtt")
    assert code == 0
    assert out.startswith("teams.vtt: vtt, 4 turns")
    assert "Priya Shah" in out and "Sam Okafor" in out
    assert err == "warning: teams.vtt: 1 malformed cue(s) skipped: 6 timing lines, 5 cues read\n"


def test_import_mapping_and_forced_format(capsys):
    code, out, _ = run(
        capsys, "import-transcript", DATA / "zoom.vtt", "--therapist", "dr. maria lopez", "--json"
    )
    assert code == 0
    assert {t["role"] for t in json.loads(out)["turns"]} == {"therapist", "client"}
    code, out, _ = run(
        capsys, "import-transcript", DATA / "whisperx.json", "--format", "whisper", "--json"
    )
    assert json.loads(out)["speakers"] == []


def test_import_writes_a_valid_session_yaml(capsys, tmp_path):
    out_file = tmp_path / "s.yaml"
    code, out, err = run(
        capsys,
        "import-transcript",
        DATA / "zoom.vtt",
        "--therapist",
        "Dr. Maria Lopez",
        "-o",
        out_file,
        "--fidelity",
        "mixed",
        "--case",
        "grief-01",
        "--session-number",
        "5",
    )
    assert (code, err) == (0, "")
    assert out == f"wrote {out_file} (4 turns)\n"
    session = Session.model_validate(yaml.safe_load(out_file.read_text(encoding="utf-8")))
    assert (session.id, session.case, session.session_number, session.phase) == (
        "zoom",
        "grief-01",
        5,
        "middle",
    )
    assert [t.speaker for t in session.turns] == ["therapist", "client", "therapist", "client"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            [],
            "error: cannot make a session: no role for speaker(s) 'Dr. Maria Lopez', 'James",
        ),
        (["--therapist", "Nobody"], "error: no speaker 'Nobody' in this transcript"),
        (["--other", "James Carter"], "error: --other and --interpreter need --therapist"),
        (["--therapist", "James Carter", "--id", "Bad Id"], "error: invalid session: id: String"),
    ],
)
def test_import_session_errors_are_one_line(capsys, tmp_path, extra, message):
    argv = ["import-transcript", DATA / "zoom.vtt", "-o", tmp_path / "s.yaml", "--fidelity", "high"]
    code, _, err = run(capsys, *argv, *extra)
    assert code == 2
    assert err.startswith(message) and err.count("\n") == 1
    assert not (tmp_path / "s.yaml").exists()


def test_import_yaml_needs_fidelity(capsys, tmp_path):
    code, _, err = run(capsys, "import-transcript", DATA / "roles.txt", "-o", tmp_path / "s.yaml")
    assert code == 2 and "--fidelity" in err


def test_deid_scan_exit_codes_and_json(capsys, tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("Therapist: How was the week?\nClient: Better, thanks.\n", encoding="utf-8")
    assert run(capsys, "deid-scan", clean)[0] == 0
    code, out, _ = run(capsys, "deid-scan", DATA / "teams.vtt", "--json", "--names", "Okafor")
    assert code == 1
    findings = json.loads(out)["findings"]
    assert set(findings[0]) == {"id", "category", "text", "turn", "start", "end", "reason"}
    assert findings[0]["reason"] == "a name from a speaker label or the reviewer's list"
    code, out, _ = run(capsys, "deid-scan", DATA / "teams.vtt")
    assert code == 1 and out.splitlines()[-1] == "1 finding(s) (NAME 1)"


def test_redact_writes_json_and_session_yaml(capsys, tmp_path):
    source = tmp_path / "call.txt"
    source.write_text(
        "Therapist: Hi Rosa. Is 555-201-3344 still your number?\nClient: Yes. Ask Marco too.\n",
        encoding="utf-8",
    )
    out_json = tmp_path / "out.json"
    code, out, _ = run(capsys, "redact", source, "--names", "Rosa", "Marco", "-o", out_json)
    assert code == 0 and "3 finding(s) redacted" in out and "removed 0, added 0" in out
    turns = json.loads(out_json.read_text(encoding="utf-8"))["turns"]
    assert [t["text"] for t in turns] == [
        "Hi [NAME 1]. Is [PHONE 1] still your number?",
        "Yes. Ask [NAME 2] too.",
    ]
    out_yaml = tmp_path / "out.yaml"
    code, _, _ = run(
        capsys, "redact", source, "--names", "Rosa", "-o", out_yaml, "--fidelity", "high"
    )
    assert code == 0
    assert "[NAME 1]" in out_yaml.read_text(encoding="utf-8")


def test_redact_takes_the_reviewers_unflagged_and_added_spans(capsys, tmp_path):
    source = tmp_path / "call.txt"
    source.write_text(
        "Therapist: Is 555-201-3344 still right?\nClient: Yes, and Biscuit says hi.\n",
        encoding="utf-8",
    )
    _, out, _ = run(capsys, "deid-scan", source, "--json")
    phone = json.loads(out)["findings"][0]
    assert phone["category"] == "PHONE" and phone["reason"]
    out_json = tmp_path / "out.json"
    args = ["--unflag", phone["id"], "--add", "NAME:biscuit", "-o", out_json]
    code, out, _ = run(capsys, "redact", source, *args)
    assert code == 0 and "removed 1, added 1" in out
    turns = json.loads(out_json.read_text(encoding="utf-8"))["turns"]
    assert [t["text"] for t in turns] == [
        "Is 555-201-3344 still right?",
        "Yes, and [NAME 1] says hi.",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unflag", "phone-9-0-1"], "no finding with id phone-9-0-1"),
        (["--add", "Biscuit"], "write CATEGORY:TEXT"),
        (["--add", "PET:Biscuit"], "unknown category 'PET'"),
        (["--add", "NAME:Rover"], "'Rover' does not occur"),
    ],
)
def test_redact_review_options_fail_with_one_line(capsys, tmp_path, args, message):
    source = tmp_path / "call.txt"
    source.write_text("Therapist: Hello.\nClient: Biscuit says hi.\n", encoding="utf-8")
    code, _, err = run(capsys, "redact", source, *args, "-o", tmp_path / "out.json")
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out.json").exists()


def test_redact_renames_named_speakers(capsys, tmp_path):
    out_json = tmp_path / "out.json"
    run(capsys, "redact", DATA / "zoom.vtt", "--therapist", "Dr. Maria Lopez", "-o", out_json)
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["speakers"] == ["Therapist", "Client"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty.txt: the file is empty"),
        ("noise.vtt", bytes(range(256)) * 8, "noise.vtt: binary data"),
        ("notes.pdf", b"%PDF-1.4", "notes.pdf: unsupported file type '.pdf'"),
        ("broken.docx", b"PK\x03\x04junk", "broken.docx: not a readable .docx file"),
    ],
    ids=["empty", "binary", "unsupported", "corrupt-docx"],
)
def test_bad_files_exit_2_with_one_line(capsys, tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    for argv in (
        ["import-transcript", path],
        ["deid-scan", path],
        ["redact", path, "-o", tmp_path / "out.json"],
    ):
        code, _, err = run(capsys, *argv)
        assert code == 2 and err.startswith(f"error: {message}") and err.count("\n") == 1


def test_missing_file_and_unwritable_output(capsys, tmp_path):
    code, _, err = run(capsys, "import-transcript", tmp_path / "missing.vtt")
    assert (code, err) == (
        2,
        "error: missing.vtt: cannot read the file (No such file or directory)\n",
    )
    code, _, err = run(capsys, "redact", DATA / "roles.txt", "-o", tmp_path / "no" / "dir.json")
    assert code == 2 and err.startswith("error: ") and "No such file or directory" in err


@pytest.mark.slow
@pytest.mark.parametrize(
    "argv",
    [
        ["import-transcript", "broken.docx"],
        ["deid-scan", "broken.docx"],
        ["redact", "roles.txt", "-o", "no/such/dir.json"],
    ],
    ids=["import", "scan", "redact"],
)
def test_real_process_prints_one_line_and_no_traceback(tmp_path, argv):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04junk")
    (tmp_path / "roles.txt").write_bytes((DATA / "roles.txt").read_bytes())
    result = run_process(*[tmp_path / a if i in (1, 3) else a for i, a in enumerate(argv)])
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
