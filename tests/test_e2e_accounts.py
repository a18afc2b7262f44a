"""Accounts in real Chromium: a reload and a new tab keep the sign-in and the page; a deep link
opened signed out lands on its page after sign-in; a password change in one browser signs the
other out; the temporary-password gate; confirmations that name the person."""

from __future__ import annotations

import pytest

from ipt_fidelity import auth, store
from tests.fixtures_browser import open_page, sign_in, wait_for_sign_in_cookie, wait_idle
from tests.fixtures_db import PASSWORD

pytestmark = pytest.mark.e2e


def _context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    return context


def _fill_sign_in(page, username: str, password: str) -> None:
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    wait_idle(page)
    wait_for_sign_in_cookie(page)


def test_reload_and_a_new_tab_keep_the_sign_in_and_the_page(app_server, page):
    sign_in(page, app_server.url, "sup_a", PASSWORD)
    open_page(page, "Cohorts and assignments")
    page.get_by_role("heading", name="Cohorts and assignments").wait_for()
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert "ipt_session" in cookies and cookies["ipt_session"]["sameSite"] == "Lax"
    assert cookies["ipt_session"]["value"] not in page.url
    page.reload()
    wait_idle(page)
    page.get_by_role("heading", name="Cohorts and assignments").wait_for()
    assert page.get_by_role("textbox", name="Username", exact=True).count() == 0
    other = page.context.new_page()
    other.goto(f"{app_server.url}/library")
    wait_idle(other)
    other.get_by_role("heading", name="Content library").wait_for()


def test_a_deep_link_opened_signed_out_lands_on_its_page(app_server, page):
    page.goto(f"{app_server.url}/cohorts")
    wait_idle(page)
    assert "/cohorts" in page.url
    _fill_sign_in(page, "sup_a", PASSWORD)
    page.get_by_role("heading", name="Cohorts and assignments").wait_for()
    assert "/cohorts" in page.url


def test_a_password_change_signs_the_other_browser_out(app_server, browser):
    first, second = _context(browser), _context(browser)
    try:
        one, two = first.new_page(), second.new_page()
        sign_in(one, app_server.url, "peer", PASSWORD)
        sign_in(two, app_server.url, "peer", PASSWORD)
        open_page(one, "Account")
        new = "peer's brand new phrase"
        one.get_by_role("textbox", name="Current password").fill(PASSWORD)
        one.get_by_role("textbox", name="New password (at least").fill(new)
        one.get_by_role("textbox", name="New password again").fill(new)
        one.get_by_role("button", name="Change password").click()
        wait_idle(one)
        one.get_by_text("Password changed.").wait_for()
        open_page(two, "Content library")  # the other browser's next run
        two.get_by_role("textbox", name="Username").wait_for()
        two.reload()  # and its cookie no longer works either
        wait_idle(two)
        two.get_by_role("textbox", name="Username").wait_for()
        one.reload()  # the browser that changed it stays signed in
        wait_idle(one)
        one.get_by_role("heading", name="Account").wait_for()
        # put the shared cast back as it was
        one.get_by_role("textbox", name="Current password").fill(new)
        one.get_by_role("textbox", name="New password (at least").fill(PASSWORD)
        one.get_by_role("textbox", name="New password again").fill(PASSWORD)
        one.get_by_role("button", name="Change password").click()
        wait_idle(one)
        one.get_by_text("Password changed.").wait_for()
    finally:
        first.close()
        second.close()


def test_reset_asks_first_then_the_temporary_password_reaches_only_the_change_page(
    app_server, browser
):
    engine = store.make_engine(app_server.env["DATABASE_URL"])
    with store.open_session(engine) as db:  # an account of its own: the cast stays as it was
        auth.create_user(db, None, "resetme", "trainee", PASSWORD)
    engine.dispose()
    admin_ctx, user_ctx = _context(browser), _context(browser)
    try:
        admin = admin_ctx.new_page()
        sign_in(admin, app_server.url, "admin", PASSWORD)
        admin.goto(f"{app_server.url}/users")  # by its address: the cookie keeps the sign-in
        wait_idle(admin)
        assert admin.get_by_role("button", name="Reset password…").is_disabled()
        admin.get_by_test_id("stSelectbox").filter(has_text="Account").click()
        admin.keyboard.type("resetme")
        admin.get_by_role("option", name="resetme (resetme, trainee)").click()
        wait_idle(admin)
        admin.get_by_role("button", name="Reset password…").click()
        dialog = admin.get_by_role("dialog")
        dialog.get_by_text("Reset the password of resetme (resetme)?").wait_for()
        dialog.get_by_role("button", name="Yes, reset resetme's password").click()
        wait_idle(admin)
        admin.get_by_text("Temporary password of resetme").wait_for()
        temporary = admin.get_by_test_id("stCode").inner_text().strip()

        user = user_ctx.new_page()
        user.goto(f"{app_server.url}/progress")
        wait_idle(user)
        _fill_sign_in(user, "resetme", temporary)
        user.get_by_role("heading", name="Choose your password").wait_for()
        assert user.get_by_test_id("stSidebarNav").count() == 0
        user.goto(f"{app_server.url}/practice")  # another page by its address: still the gate
        wait_idle(user)
        user.get_by_role("heading", name="Choose your password").wait_for()
        user.get_by_role("textbox", name="Current password").fill(temporary)
        user.get_by_role("textbox", name="New password (at least").fill(PASSWORD + " again")
        user.get_by_role("textbox", name="New password again").fill(PASSWORD + " again")
        user.get_by_role("button", name="Change password").click()
        wait_idle(user)
        user.get_by_role("heading", name="Formulation practice").wait_for()
        user.get_by_test_id("stSidebarNav").wait_for()
    finally:
        admin_ctx.close()
        user_ctx.close()


def test_remove_from_a_cohort_asks_first_naming_the_trainee(app_server, page):
    sign_in(page, app_server.url, "sup_a", PASSWORD)
    open_page(page, "Cohorts and assignments")
    assert page.get_by_role("button", name="Remove…").is_disabled()
    page.get_by_test_id("stSelectbox").filter(has_text="Remove from the cohort").click()
    page.get_by_role("option", name="trainee (trainee)").click()
    wait_idle(page)
    page.get_by_role("button", name="Remove…").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Remove trainee (trainee) from Cohort A?").wait_for()
    dialog.get_by_role("button", name="Cancel").click()
    wait_idle(page)
    page.get_by_role("dialog").wait_for(state="detached")
    page.get_by_text("Removed trainee").wait_for(state="detached")  # nothing was done


def test_a_deep_link_keeps_its_selection_through_sign_in_and_reload(app_server, page):
    from ipt_fidelity.config import REPO_ROOT
    from ipt_fidelity.content.library import load_library

    lib = load_library(root=REPO_ROOT)
    session_id = list(lib.sessions)[-1]  # not the first choice
    page.goto(f"{app_server.url}/library?session={session_id}")
    wait_idle(page)
    _fill_sign_in(page, "sup_b", PASSWORD)
    page.get_by_role("heading", name="Content library").wait_for()
    assert f"session={session_id}" in page.url
    session = lib.sessions[session_id]
    caption = f"session {session.session_number} · {session.phase} phase"  # under the picker
    page.get_by_role("tab", name="Transcripts").click()
    page.get_by_text(caption).first.wait_for()
    page.reload()
    wait_idle(page)
    page.get_by_role("heading", name="Content library").wait_for()
    assert f"session={session_id}" in page.url
    page.get_by_role("tab", name="Transcripts").click()
    page.get_by_text(caption).first.wait_for()
