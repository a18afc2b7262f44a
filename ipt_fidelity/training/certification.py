"""A trainee's standing against the programme's certification rule, criterion by criterion."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..agreement import HEADLINE_LABEL
from ..content.vocab import PROBLEM_AREAS, label
from .calibration import Calibration
from .settings import CertificationRule


@dataclass
class Criterion:
    """One condition of the rule: what is required, what the trainee has, whether it holds."""

    name: str
    required: str
    observed: str
    met: bool


@dataclass
class Standing:
    criteria: list[Criterion]

    @property
    def ready(self) -> bool:
        return all(c.met for c in self.criteria)


def formulation_accuracy(attempts: pd.DataFrame) -> pd.DataFrame:
    """First-attempt accuracy by the expert's primary area (only attempts that count)."""
    counted = attempts[attempts["counts"]] if not attempts.empty else attempts
    if counted.empty:
        return pd.DataFrame(columns=["expert_area", "attempts", "accuracy"])
    grouped = counted.groupby("expert_area")["correct"].agg(attempts="size", accuracy="mean")
    return grouped.reset_index()


def standing(
    rule: CertificationRule, calibration: Calibration | None, attempts: pd.DataFrame
) -> Standing:
    """Evaluate every criterion; `attempts` has one row per submitted formulation attempt."""
    return Standing(_rating_criteria(rule, calibration) + _formulation_criteria(rule, attempts))


def _fmt(value: float | None, digits: int = 2) -> str:
    return "undefined" if value is None else f"{value:.{digits}f}"


def bias_word(bias: float | None, limit: float) -> str:
    """Lenient or severe only beyond the programme's limit; within it, 'within limit'."""
    if bias is None:
        return ""
    if abs(bias) <= limit:
        return " (within limit)"
    return " (lenient)" if bias > 0 else " (severe)"


def _rating_criteria(rule: CertificationRule, calibration: Calibration | None) -> list[Criterion]:
    sessions = calibration.n_sessions if calibration else 0
    overall = calibration.overall if calibration else {}
    icc = overall.get("icc_a1") or {}
    estimate, ci = icc.get("estimate"), icc.get("ci95")
    judged = ci[0] if rule.icc_bound == "lower" and ci else estimate
    bias = overall.get("bias")
    ci_text = f" (95% CI {_fmt(ci[0])} to {_fmt(ci[1])})" if ci else ""
    return [
        Criterion(
            "calibration sessions",
            f"at least {rule.min_calibration_sessions}",
            str(sessions),
            sessions >= rule.min_calibration_sessions,
        ),
        Criterion(
            f"agreement with the expert, {HEADLINE_LABEL}",
            f"{'lower bound' if rule.icc_bound == 'lower' else 'estimate'} >= {rule.min_icc:.2f}",
            f"{_fmt(estimate)}{ci_text}",
            judged is not None and judged >= rule.min_icc,
        ),
        Criterion(
            "bias against the expert",
            f"|bias| <= {rule.max_abs_bias:.2f} points",
            _fmt(bias) + bias_word(bias, rule.max_abs_bias),
            bias is not None and abs(bias) <= rule.max_abs_bias,
        ),
    ]


def _formulation_criteria(rule: CertificationRule, attempts: pd.DataFrame) -> list[Criterion]:
    """Formulation criteria on the attempts that count: first attempts, made unseen."""
    latest = attempts[attempts["counts"]] if not attempts.empty else attempts
    cases = len(latest)
    accuracy = float(latest["correct"].mean()) if cases else None
    criteria = [
        Criterion(
            "formulated cases (first attempts)",
            f"at least {rule.min_formulation_cases}",
            str(cases),
            cases >= rule.min_formulation_cases,
        ),
        Criterion(
            "formulation accuracy",
            f">= {rule.min_formulation_accuracy:.0%}",
            "undefined" if accuracy is None else f"{accuracy:.0%}",
            accuracy is not None and accuracy >= rule.min_formulation_accuracy,
        ),
    ]
    if rule.require_all_problem_areas:
        covered = set(latest["expert_area"]) if cases else set()
        missing = [label(a) for a in PROBLEM_AREAS if a not in covered]
        criteria.append(
            Criterion(
                "problem areas covered",
                "all four",
                "all four" if not missing else "missing " + ", ".join(missing),
                not missing,
            )
        )
    return criteria
