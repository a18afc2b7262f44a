"""The signed-in browser's cookie and the client's address, as Streamlit sees them.

The cookie holds a random token (its SHA-256 is in `auth_sessions`), so a reload, a bookmark or
a new tab stays signed in. It is read from `st.context.cookies` and written by a one-line
`st.components.v2` component: `SameSite=Lax`, `Secure` when the page is served over HTTPS, and
expiring after the idle time. The token never goes into a URL. A script-set cookie cannot be
HttpOnly; the server-side idle time and revocation bound what a stolen token is worth.
"""

from __future__ import annotations

import streamlit as st

from ..training.settings import default_settings

COOKIE = "ipt_session"

_JS = """
export default function ({ data }) {
  if (!data || !data.name) return;
  const parts = [`${data.name}=${encodeURIComponent(data.value)}`, "Path=/", "SameSite=Lax",
                 `Max-Age=${data.max_age}`];
  if (window.location.protocol === "https:") parts.push("Secure");
  document.cookie = parts.join("; ");
}
"""

_writer = st.components.v2.component("ipt_fidelity.sign_in_cookie", js=_JS)


def idle_seconds() -> int:
    """How long a signed-in browser may stay unused (`accounts.session_idle_minutes`)."""
    return int(default_settings().accounts.session_idle_minutes * 60)


def cookie_token() -> str | None:
    """The token the browser sent with this connection, if any."""
    try:
        value = st.context.cookies.get(COOKIE)
    except (AttributeError, RuntimeError):  # no browser (an AppTest run)
        return None
    return value if isinstance(value, str) and value else None


def write_cookie(token: str | None, stamp: str = "") -> None:
    """Keep the browser's cookie in step: set it to `token` (refreshing its expiry when `stamp`
    changes), or delete it when `token` is None and the browser sent one."""
    if token is None:
        if cookie_token() is None:
            return
        data = {"name": COOKIE, "value": "", "max_age": 0, "stamp": stamp}
    else:
        data = {"name": COOKIE, "value": token, "max_age": idle_seconds(), "stamp": stamp}
    _writer(data=data, key="sign-in-cookie", height=0)


def client_address() -> str | None:
    """The client's address: the connection's, or, only when `accounts.client_address_header`
    names one, that header's entry added by the nearest of `trusted_proxies` proxies."""
    rules = default_settings().accounts
    try:
        if rules.client_address_header:
            value = st.context.headers.get(rules.client_address_header) or ""
            hops = [part.strip() for part in value.split(",") if part.strip()]
            if len(hops) >= rules.trusted_proxies:
                return hops[-rules.trusted_proxies]
        address = st.context.ip_address
    except (AttributeError, RuntimeError):
        return None
    return address if isinstance(address, str) and address else None
