"""The sign-in throttle under parallel guesses, per account and per client address.

Thirty threads guess at once; the count of password checks that actually ran is the measure:
it may never exceed the free failures (the rest are refused before argon2 runs).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ipt_fidelity import auth, store
from ipt_fidelity.auth import SignInFailed, SignInLocked
from ipt_fidelity.store import throttle
from ipt_fidelity.store.models import SignInThrottle
from tests.fixtures_db import make_people

GUESSES = 30
REPO = Path(__file__).resolve().parent.parent


def _engine(url: str):
    if "postgres" in url:
        return store.make_engine(url, pool_size=GUESSES + 2, max_overflow=0)
    return store.make_engine(url)


def _parallel_guesses(url, monkeypatch, names, client=None) -> tuple[int, list[BaseException]]:
    """Run one wrong guess per name in parallel; return (passwords checked, the outcomes)."""
    checked = []
    real_verify = auth._verify

    def counting_verify(password_hash: str, password: str) -> bool:
        checked.append(1)
        return real_verify(password_hash, password)

    monkeypatch.setattr(auth, "_verify", counting_verify)
    engine = _engine(url)
    start = threading.Barrier(len(names))
    outcomes: list[BaseException] = []

    def guess(name: str) -> None:
        start.wait()
        with store.open_session(engine) as db:
            try:
                auth.authenticate(db, name, "wrong guess 1234", client=client)
            except BaseException as exc:
                outcomes.append(exc)

    threads = [threading.Thread(target=guess, args=(n,)) for n in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    return len(checked), outcomes


def _seed(url: str) -> None:
    engine = store.make_engine(url)
    with store.open_session(engine) as db:
        make_people(db)
    engine.dispose()


def test_parallel_guesses_check_at_most_the_free_failures(any_url, monkeypatch) -> None:
    _seed(any_url)
    checked, outcomes = _parallel_guesses(any_url, monkeypatch, ["trainee"] * GUESSES)
    print(f"\n{any_url.split(':')[0]}: {GUESSES} parallel guesses, {checked} passwords checked")
    assert checked == auth.FREE_FAILURES
    assert len(outcomes) == GUESSES
    assert all(isinstance(e, SignInFailed) for e in outcomes)
    assert sum(isinstance(e, SignInLocked) for e in outcomes) >= GUESSES - auth.FREE_FAILURES
    engine = store.make_engine(any_url)
    with store.open_session(engine) as db, pytest.raises(SignInLocked):
        auth.authenticate(db, "trainee", "correct horse battery")
    engine.dispose()


def test_one_client_cannot_lock_out_every_account(any_url, monkeypatch) -> None:
    """A client guessing against many names is stopped by its own limit first: it locks at most
    a few accounts, and people signing in from elsewhere are not affected."""
    _seed(any_url)
    names = ["trainee", "peer", "outsider", "sup_a", "sup_b", "admin"] * 5
    checked, _ = _parallel_guesses(any_url, monkeypatch, names, client="203.0.113.7")
    print(f"\n{any_url.split(':')[0]}: one client, {len(names)} guesses, {checked} checked")
    assert checked <= auth.CLIENT_FREE_FAILURES
    engine = store.make_engine(any_url)
    with store.open_session(engine) as db, pytest.raises(SignInLocked, match="from this address"):
        auth.authenticate(db, "trainee", "correct horse battery", client="203.0.113.7")
    with store.open_session(engine) as db:  # the same client's IPv6 neighbour is another client
        locked = 0
        for name in ("trainee", "peer", "outsider", "sup_a", "sup_b", "admin"):
            try:
                auth.authenticate(db, name, "correct horse battery", client="198.51.100.9")
            except SignInLocked:
                locked += 1
        assert locked <= auth.CLIENT_FREE_FAILURES // auth.FREE_FAILURES
    engine.dispose()


def test_unknown_names_share_a_bounded_set_of_counters(any_url) -> None:
    _seed(any_url)
    engine = store.make_engine(any_url)
    with store.open_session(engine) as db:
        for i in range(1200):
            key = throttle.account_key(f"nobody{i}", exists=False)
            throttle.reserve_attempt(db, key, auth.FREE_FAILURES)
        rows = db.scalar(select(func.count()).select_from(SignInThrottle))
        with pytest.raises(SignInFailed) as unknown:
            auth.authenticate(db, "nobody-at-all", "a wrong password")
        assert str(unknown.value) == "Wrong username or password."
    engine.dispose()
    assert rows <= throttle.UNKNOWN_BUCKETS


def test_ipv6_clients_count_by_network() -> None:
    assert throttle.client_key("2001:db8::1") == throttle.client_key("2001:db8::ffff")
    assert throttle.client_key("2001:db8:0:1::1") != throttle.client_key("2001:db8::1")
    assert throttle.client_key("::ffff:192.0.2.1") == throttle.client_key("192.0.2.1")


PROCESS_SCRIPT = """
import sys
from argon2 import PasswordHasher
from ipt_fidelity import auth, store
auth.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
checked = []
real = auth._verify
auth._verify = lambda h, p: checked.append(1) or real(h, p)
engine = store.make_engine(sys.argv[1])
sys.stdin.readline()  # start together
with store.open_session(engine) as db:
    try:
        auth.authenticate(db, "peer", "wrong guess 1234")
    except auth.SignInFailed:
        pass
print(len(checked))
"""


@pytest.mark.slow
def test_parallel_processes_check_at_most_the_free_failures(any_url) -> None:
    """Twelve processes (as twelve app replicas would) guess at once."""
    _seed(any_url)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", PROCESS_SCRIPT, any_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        for _ in range(12)
    ]
    time.sleep(3)  # let them all import and connect
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    checked = sum(int(proc.communicate(timeout=120)[0].strip() or 0) for proc in procs)
    print(f"\n{any_url.split(':')[0]}: 12 processes, {checked} passwords checked")
    assert checked == auth.FREE_FAILURES


def test_a_proxy_header_counts_only_when_configured(monkeypatch) -> None:
    """A client-chosen X-Forwarded-For is ignored unless settings name the header."""
    from types import SimpleNamespace

    import streamlit

    from ipt_fidelity.training.settings import AccountSettings, Settings
    from ipt_fidelity.ui import sign_in_cookie

    context = SimpleNamespace(
        headers={"X-Forwarded-For": "6.6.6.6, 192.0.2.10"},  # spoofed entry, then the proxy's
        ip_address="10.0.0.2",  # the proxy itself
    )
    monkeypatch.setattr(streamlit, "context", context)
    monkeypatch.setattr(sign_in_cookie, "default_settings", lambda: Settings())
    assert sign_in_cookie.client_address() == "10.0.0.2"
    configured = Settings(accounts=AccountSettings(client_address_header="X-Forwarded-For"))
    monkeypatch.setattr(sign_in_cookie, "default_settings", lambda: configured)
    assert sign_in_cookie.client_address() == "192.0.2.10"  # the one the proxy added
    two = Settings(
        accounts=AccountSettings(client_address_header="X-Forwarded-For", trusted_proxies=2)
    )
    monkeypatch.setattr(sign_in_cookie, "default_settings", lambda: two)
    assert sign_in_cookie.client_address() == "6.6.6.6"
