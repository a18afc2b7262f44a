"""Programme settings (the certification rule, the audit threshold, the sessions a coefficient
needs before it is ranked) from `settings.yaml`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..agreement import MIN_UNITS
from ..config import settings_file
from ..content.yamlsource import ContentError, Problem, read_document


class CertificationRule(BaseModel):
    """What a trainee must show to be certified as a rater and formulator."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_calibration_sessions: int = Field(default=4, ge=1)
    min_icc: float = Field(default=0.75, ge=0, le=1)
    icc_bound: Literal["estimate", "lower"] = "estimate"
    max_abs_bias: float = Field(default=0.5, ge=0)
    min_formulation_cases: int = Field(default=8, ge=0)
    min_formulation_accuracy: float = Field(default=0.8, ge=0, le=1)
    require_all_problem_areas: bool = True


class AuditSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fidelity_threshold: float = Field(default=2.5, ge=0)


class AccountSettings(BaseModel):
    """Sign-in rules: temporary passwords, the session cookie, the client address behind a proxy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    temporary_password_hours: float = Field(default=24, gt=0)
    session_idle_minutes: float = Field(default=480, gt=0)
    # Empty: the address of the connection itself. Set to e.g. X-Forwarded-For only when a
    # reverse proxy you run sets that header (otherwise any client could choose its address).
    client_address_header: str = ""
    trusted_proxies: int = Field(default=1, ge=1)  # proxies that append to that header


class AgreementSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_units: int = Field(default=MIN_UNITS, ge=2)  # sessions a coefficient needs to be ranked


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    certification: CertificationRule = CertificationRule()
    audit: AuditSettings = AuditSettings()
    accounts: AccountSettings = AccountSettings()
    agreement: AgreementSettings = AgreementSettings()


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file (defaults when it is absent); errors are located like content's."""
    target = path or settings_file()
    if not target.exists():
        return Settings()
    document = read_document(target)
    try:
        return Settings.model_validate(document.data)
    except ValueError as exc:
        errors = getattr(exc, "errors", lambda: [])()
        raise ContentError(
            [
                document.problem(e["loc"], f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
                for e in errors
            ]
            or [Problem(document.path, 1, 1, str(exc))]
        ) from None


@lru_cache(maxsize=1)
def default_settings() -> Settings:
    return load_settings()
