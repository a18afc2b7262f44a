"""The browser harness: a real `streamlit run` on a free port, driven by headless Chromium.

Chromium comes from Debian (`/usr/bin/chromium`); Playwright only drives it and never downloads a
browser. Tests using these fixtures carry the `e2e` marker.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("IPT_CHROMIUM", "/usr/bin/chromium")
REPO = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class AppServer:
    """A running app: its base URL, its environment and its log file."""

    url: str
    env: dict[str, str]
    log: Path


def start_app(tmp: Path, env: dict[str, str] | None = None, timeout: float = 60) -> tuple:
    """Start `streamlit run streamlit_app.py` headless on a free port; wait for its health check."""
    port = free_port()
    full_env = {
        **os.environ,
        "IPT_FIDELITY_HOME": str(tmp),
        "DATABASE_URL": os.environ.get("E2E_DATABASE_URL", f"sqlite:///{tmp / 'e2e.sqlite3'}"),
        **(env or {}),
    }
    log = tmp / "streamlit.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(REPO / "streamlit_app.py"),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
    ]
    handle = log.open("wb")
    process = subprocess.Popen(command, cwd=REPO, env=full_env, stdout=handle, stderr=handle)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return process, AppServer(url, full_env, log)
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"streamlit did not answer /_stcore/health:\n{log.read_text()[-3000:]}")


def stop_app(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole run (skips when it is not installed)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium chromium-driver)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory, databases) -> Iterator[AppServer]:
    """The app on a fresh database of its own (SQLite, or PostgreSQL when DATABASE_URL says so)
    holding the people of `tests.fixtures_db.make_people`, for the whole run."""
    from ipt_fidelity.store import make_engine, open_session
    from tests.fixtures_db import default_backend, make_people

    url = databases.fresh(default_backend())
    engine = make_engine(url)
    with open_session(engine) as db:
        make_people(db)
    engine.dispose()
    process, server = start_app(tmp_path_factory.mktemp("app"), {"DATABASE_URL": url})
    yield server
    stop_app(process)


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies, no storage) and page per test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(page, url: str, username: str, password: str) -> None:
    """Open the app and sign in through the sign-in form."""
    page.goto(url)
    wait_idle(page)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    wait_idle(page)
    page.get_by_role("heading", name="Welcome").wait_for()
    wait_for_sign_in_cookie(page)


def wait_for_sign_in_cookie(page, timeout: float = 20_000) -> None:
    """Wait until the browser holds the sign-in cookie: a component writes it just after the run
    that signed in, so a navigation in the same instant would otherwise still be signed out."""
    waited = 0.0
    while not any(c["name"] == "ipt_session" and c["value"] for c in page.context.cookies()):
        if waited >= timeout:
            raise TimeoutError("the sign-in cookie was never written")
        page.wait_for_timeout(100)
        waited += 100


def open_page(page, title: str) -> None:
    """Follow a link of the sidebar navigation and wait for the page to finish drawing."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    wait_idle(page)


def wait_idle(page, timeout: float = 20_000) -> None:
    """Wait until the Streamlit script has finished its current run."""
    page.wait_for_selector(
        "[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout
    )
    page.wait_for_timeout(150)
    page.wait_for_selector(
        "[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout
    )
