"""The documentation covers what a user can type: every CLI command and environment variable.

(The agreement engine's public names are checked against docs/agreement.md in
test_agreement_docs.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ipt_fidelity.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = README + "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))


def _commands() -> list[str]:
    """Every command and subcommand the parser knows, as typed (`ratings import`)."""
    parser = build_parser()
    found = []
    for action in parser._subparsers._group_actions:  # argparse keeps subparsers here
        for name, sub in action.choices.items():
            nested = [a for a in sub._actions if a.__class__.__name__ == "_SubParsersAction"]
            if nested:
                found += [f"{name} {child}" for child in nested[0].choices]
            else:
                found.append(name)
    return found


def _environment_variables() -> list[str]:
    """Every variable the package reads from the environment."""
    names = set()
    for path in (ROOT / "ipt_fidelity").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"environ(?:\.get)?\(\s*[\"']([A-Z_]+)[\"']", text))
        names |= set(re.findall(r"environ\[\s*[\"']([A-Z_]+)[\"']\s*\]", text))
    return sorted(names - {"XDG_DATA_HOME"})


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"`{command}" in README, f"`{command}` is missing from the README's command table"


@pytest.mark.parametrize("name", _environment_variables())
def test_every_environment_variable_is_documented(name: str) -> None:
    assert name in DOCS, f"{name} is read by the package but not documented"


def test_the_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```bash\n(.+?)\n```", README)
    assert "streamlit run streamlit_app.py" in blocks[0]
    assert "python -m pytest" in blocks[1]


def test_the_fast_loop_command_is_documented() -> None:
    assert 'python -m pytest -m "not slow and not e2e"' in README
