"""The sign-in throttle: attempts counted per account and per client address, atomically.

An attempt is counted *before* its password is checked, in one transaction that holds the
counter's row (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite write transactions begin
IMMEDIATE, which serialises them). So thirty parallel guesses cannot all read "4 failures" and
all go on to argon2: the sixth finds the lock the fifth set. A success gives the attempt back.

Keys: `user:<name>` for an existing account; unknown names share `unknown:<0..1023>` (guessing
names cannot grow the table without bound, and an unknown name locks like a real one, so the
lock does not tell which names exist); `client:<address>` (IPv6 by its /64 network).
"""

from __future__ import annotations

import hashlib
import ipaddress
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .models import SignInThrottle, utcnow
from .transactions import reads, writes
from .upsert import dialect_insert

FREE_FAILURES = 5  # per account
CLIENT_FREE_FAILURES = 20  # per client address, across accounts
FIRST_LOCK = timedelta(seconds=30)
LONGEST_LOCK = timedelta(hours=1)
FORGET_AFTER = timedelta(days=1)  # a counter untouched this long starts again from zero
UNKNOWN_BUCKETS = 1024


def lock_duration(failures: int, free: int = FREE_FAILURES) -> timedelta | None:
    """How long a key stays locked after this many attempts without success (doubling)."""
    if failures < free:
        return None
    return min(FIRST_LOCK * 2 ** (failures - free), LONGEST_LOCK)


def account_key(username: str, exists: bool) -> str:
    """The counter of an account; unknown names share a bounded set of counters."""
    if exists:
        return f"user:{username}"
    bucket = int.from_bytes(hashlib.sha256(username.encode()).digest()[:4], "big")
    return f"unknown:{bucket % UNKNOWN_BUCKETS}"


def client_key(address: str) -> str:
    """The counter of a client address (an IPv6 address counts as its /64 network)."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return f"client:{address.strip()[:120]}"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"client:{ip.ipv4_mapped}"
        return f"client:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"client:{ip}"


def _seconds(until, now) -> int:
    return max(0, int((until - now).total_seconds() + 0.999))


@writes
def reserve_attempt(db: Session, key: str, free: int = FREE_FAILURES) -> int:
    """Count one attempt against `key`, atomically; return the seconds it stays locked (0: go on).

    A locked key is not counted again. The attempt that reaches `free` sets the lock at once,
    before its password is checked; a success lifts it (`forget`).
    """
    now = utcnow()
    held = select(SignInThrottle).where(SignInThrottle.key == key).with_for_update()
    row = None
    while row is None:  # a success may delete the row between the insert and the select
        db.execute(
            dialect_insert(db, SignInThrottle)
            .values(key=key, failures=0)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        row = db.scalars(held).one_or_none()
    if row.locked_until is not None and row.locked_until > now:
        return _seconds(row.locked_until, now)
    if row.last_failure_at is not None and now - row.last_failure_at > FORGET_AFTER:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    if (duration := lock_duration(row.failures, free)) is not None:
        row.locked_until = now + duration
    if row.failures == 1:  # now and then, drop the counters nobody has touched for a day
        db.execute(
            delete(SignInThrottle).where(
                SignInThrottle.last_failure_at < now - FORGET_AFTER,
                SignInThrottle.key != key,
            )
        )
    return 0


@reads
def seconds_locked(db: Session, key: str) -> int:
    """Seconds the key stays locked (0 when it is not)."""
    row = db.get(SignInThrottle, key, populate_existing=True)
    if row is None or row.locked_until is None:
        return 0
    return _seconds(row.locked_until, utcnow())


def forget(db: Session, key: str) -> None:
    """Drop a key's counter (a successful sign-in, or a password reset)."""
    db.execute(delete(SignInThrottle).where(SignInThrottle.key == key))


def give_back(db: Session, key: str) -> None:
    """Uncount one attempt of a key (a client's successful sign-in is not a failure)."""
    row = db.get(SignInThrottle, key, populate_existing=True)
    if row is not None and row.failures > 0 and row.locked_until is None:
        row.failures -= 1
