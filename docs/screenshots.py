"""Take the README's screenshots from the demo app in headless Debian Chromium.

Run from the repository root: `python docs/screenshots.py`. It seeds the demo into a throwaway
SQLite database, starts the app, signs in as the demo supervisor and a demo trainee, and writes
PNG files into `docs/`. It drives the same harness as the browser tests.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from ipt_fidelity.content.library import load_library  # noqa: E402
from ipt_fidelity.demo import seed_demo  # noqa: E402
from ipt_fidelity.store import ensure_schema, make_engine, open_session  # noqa: E402
from tests.fixtures_browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    open_page,
    sign_in,
    start_app,
    stop_app,
    wait_idle,
)

DOCS = REPO / "docs"
TRAINEE = "demo-calibrated"


def seeded_database(folder: Path) -> tuple[str, dict[str, str]]:
    """A SQLite file holding the demo; returns its URL and the demo sign-ins."""
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    engine = make_engine(url)
    ensure_schema(engine)
    with open_session(engine) as db:
        result = seed_demo(db, load_library(), None, seed=11)
    engine.dispose()
    return url, {a.username: a.password for a in result.accounts}


def shoot(page, name: str) -> None:
    """Save the visible page as docs/<name>.png."""
    wait_idle(page)
    page.wait_for_timeout(800)
    page.screenshot(path=str(DOCS / f"{name}.png"))
    print(f"wrote docs/{name}.png")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url, passwords = seeded_database(folder)
        process, server = start_app(folder, {"DATABASE_URL": url})
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                context.set_default_timeout(30_000)
                page = context.new_page()
                sign_in(page, server.url, "demo-supervisor", passwords["demo-supervisor"])
                shoot(page, "supervisor-home")
                context.clear_cookies()
                page = context.new_page()
                sign_in(page, server.url, TRAINEE, passwords[TRAINEE])
                open_page(page, "Rate a transcript")
                page.locator("table.ipt-turns").first.wait_for()
                shoot(page, "rating-page")
                open_page(page, "Learn IPT")
                shoot(page, "learn")
                open_page(page, "Item drills")
                shoot(page, "drills")
                browser.close()
        finally:
            stop_app(process)


if __name__ == "__main__":
    main()
