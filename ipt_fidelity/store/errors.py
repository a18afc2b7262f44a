"""The exceptions the store raises: each carries a plain message a page can show as it is."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every store failure; `str(exc)` is a sentence for the user."""


class PermissionDenied(StoreError):
    """The acting user may not read or change this."""


class NotFound(StoreError):
    """The thing asked for does not exist (or is hidden from the acting user)."""


class InvalidInput(StoreError):
    """The values given break a rule (password policy, score off the scale, unknown role, ...)."""


class Conflict(StoreError):
    """The change clashes with the stored state (already submitted, name taken, ...)."""


class DatabaseUnavailable(StoreError):
    """The database failed or is unreachable; nothing was saved."""
