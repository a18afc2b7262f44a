"""Links into the Learn pages from wherever a concept is met (a cue, an item, a drill)."""

from __future__ import annotations

from urllib.parse import quote

from ..content.learn import Link


def learn_href(link: Link) -> str:
    """The address of a Learn page section: `learn?topic=<page>#<anchor>` (opens in the app)."""
    href = f"/learn?topic={quote(link.page)}"
    return href + (f"#{quote(link.anchor)}" if link.anchor else "")


def learn_markdown(link: Link | None, label: str = "Learn") -> str:
    """A markdown link to a Learn section with an icon, or nothing when there is no page."""
    if link is None:
        return ""
    return f"[:material/school: {label}: {link.title}]({learn_href(link)})"
