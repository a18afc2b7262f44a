"""Every public name of the agreement engine is documented in docs/agreement.md."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import ipt_fidelity.agreement as agreement

DOC = (Path(__file__).resolve().parent.parent / "docs" / "agreement.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", agreement.__all__)
def test_public_name_is_documented(name: str) -> None:
    assert name in DOC, f"{name} is public in ipt_fidelity.agreement but not in docs/agreement.md"


def test_the_reading_rule_is_documented_and_judges_on_the_interval() -> None:
    assert "## Reading rule" in DOC and "95% confidence interval" in DOC
    assert "95% confidence interval" in agreement.READING_RULE
    assert agreement.interpret(0.80, "icc", (0.62, 0.93)) == "moderate to excellent reliability"


@pytest.mark.parametrize(
    "name",
    [n for n in agreement.__all__ if inspect.isfunction(getattr(agreement, n))],
)
def test_every_public_function_cites_its_source_and_shows_an_example(name: str) -> None:
    """NumPy-style docstrings: References and a runnable `>>>` example (run as doctests)."""
    doc = inspect.getdoc(getattr(agreement, name)) or ""
    assert "References\n----------" in doc, f"{name} has no References section"
    assert "Examples\n--------" in doc and ">>> " in doc, f"{name} has no example"
