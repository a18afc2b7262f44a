"""Settings from the environment: where the database and the content live.

`DATABASE_URL` (any SQLAlchemy URL) chooses the database; without it the app uses a SQLite file in
the per-user data folder (`IPT_FIDELITY_HOME`, else `$XDG_DATA_HOME/ipt-fidelity`, else
`~/.local/share/ipt-fidelity`). `IPT_FIDELITY_CONTENT` points at another content root holding
`rubrics/`, `vignettes/` and (optionally) `learn/`.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The per-user folder for the default SQLite database and other local state."""
    if home := os.environ.get("IPT_FIDELITY_HOME"):
        return Path(home)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ipt-fidelity"


def database_url() -> str:
    """The SQLAlchemy URL of the database: `DATABASE_URL`, else the default SQLite file."""
    if url := os.environ.get("DATABASE_URL"):
        return url
    return f"sqlite:///{data_dir() / 'ipt_fidelity.sqlite3'}"


def content_root() -> Path:
    """The folder holding `rubrics/`, `vignettes/` and `learn/` (the shipped content by default)."""
    return Path(os.environ.get("IPT_FIDELITY_CONTENT", REPO_ROOT))


def settings_file() -> Path:
    """The programme settings file (certification rule): `IPT_FIDELITY_SETTINGS` or the default."""
    return Path(os.environ.get("IPT_FIDELITY_SETTINGS", REPO_ROOT / "settings.yaml"))
