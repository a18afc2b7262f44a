"""Widgets several pages share: the transcript view, rubric items with anchors, the vignette."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import streamlit as st

from ..content.models import Case, Item, Rubric, Turn, normalise_quote
from ..content.vocab import KIND_LABELS, label

_TRANSCRIPT_CSS = """
<style>
.ipt-turns {width: 100%; border-collapse: collapse; font-size: 0.95rem;}
.ipt-turns td {vertical-align: top; padding: 0.3rem 0.45rem; border-bottom: 1px solid #eee;}
.ipt-turns td.n {color: #666; width: 3.2rem; text-align: right; font-variant-numeric: tabular-nums;}
.ipt-turns td.t {color: #888; width: 3.6rem; font-variant-numeric: tabular-nums;}
.ipt-turns td.s {width: 6.5rem; font-weight: 600;}
.ipt-turns tr.therapist td.s {color: #1f5f99;}
.ipt-turns tr.client td.s {color: #8a4b08;}
.ipt-turns tr.interpreter td.s {color: #5f3dc4;}
.ipt-turns tr.evidence {background: #fff4c2;}
.ipt-turns mark {background: #ffe066; padding: 0 0.1rem;}
.ipt-cue {background: #d3f9d8; border-bottom: 2px solid #2f9e44; padding: 0 0.1rem;}
.ipt-cue-missed {background: #ffe3e3; border-bottom: 2px solid #e03131; padding: 0 0.1rem;}
</style>
"""


_MARKDOWN = re.compile(r"([\\`*_\[\]#!|<>~$&])")  # no link or image without its brackets
_AUTOLINK = re.compile(r"(?i)(?=://)|(?<=www)(?=\.)|(?=@)")  # where a bare URL or e-mail links
_JOINER = "\u2060"  # WORD JOINER: invisible, and no URL or e-mail pattern runs across it


_BIDI = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def plain(text: object) -> str:
    """Text from people (names, titles, notes) made inert for Markdown: no links, no images, no
    HTML, no colour directives; bidi overrides dropped so a name cannot turn the line round."""
    escaped = _MARKDOWN.sub(r"\\\1", str(text).translate(_BIDI))
    # GFM autolinks bare URLs after escapes and entities are decoded (`http:\/\/x` still links):
    # only a character in the text itself breaks the pattern
    return _AUTOLINK.sub(_JOINER, escaped)


def clock(seconds: float | None) -> str:
    """Seconds as m:ss (or h:mm:ss), blank when unknown."""
    if seconds is None:
        return ""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _highlight(text: str, query: str) -> str:
    """Escape `text` and mark case-insensitive occurrences of `query` (also escaped)."""
    escaped = html.escape(text)
    if not query:
        return escaped
    pattern = re.compile(re.escape(html.escape(query)), re.IGNORECASE)
    return pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)


def turns_html(turns: Iterable[Turn], query: str = "", evidence: Iterable[int] = ()) -> str:
    """The turns as an HTML table; every piece of transcript text is escaped."""
    marked = set(evidence)
    rows = []
    for turn in turns:
        classes = turn.speaker + (" evidence" if turn.n in marked else "")
        rows.append(
            f'<tr class="{classes}" id="turn-{turn.n}"><td class="n">{turn.n}</td>'
            f'<td class="t">{clock(turn.start)}</td>'
            f'<td class="s">{html.escape(turn.label or turn.speaker)}</td>'
            f"<td>{_highlight(turn.text, query)}</td></tr>"
        )
    return f'{_TRANSCRIPT_CSS}<table class="ipt-turns">{"".join(rows)}</table>'


def transcript_view(
    turns: list[Turn],
    key: str,
    evidence: Iterable[int] = (),
    height: int = 560,
    start_turn: int = 1,
) -> None:
    """Turns with numbers, times and speakers; search within the text and jump to a turn."""
    search_col, jump_col = st.columns([3, 1])
    query = search_col.text_input(
        "Search the transcript", key=f"{key}-search", placeholder="a word or phrase"
    )
    last = max(len(turns), 1)
    jump = jump_col.number_input(
        "Jump to turn",
        min_value=1,
        max_value=last,
        value=min(max(start_turn, 1), last),
        key=f"{key}-jump",
    )
    shown = turns
    if query:
        needle = query.lower()
        shown = [t for t in turns if needle in t.text.lower()]
        st.caption(f"{len(shown)} of {len(turns)} turns contain “{plain(query)}”.")
    elif jump > 1:
        shown = [t for t in turns if t.n >= jump]
    with st.container(height=height):
        st.markdown(turns_html(shown, query, evidence), unsafe_allow_html=True)


def anchors_table(rubric: Rubric, item: Item) -> str:
    """An item's behavioural anchors as a markdown table, one row per scale point."""
    rows = ["| score | anchor |", "|---|---|"]
    for point in rubric.scale.points:
        anchor = item.anchors.get(point, "").replace("|", "\\|").replace("\n", " ")
        rows.append(f"| **{point}** {rubric.scale.labels[point]} | {anchor} |")
    return "\n".join(rows)


def anchors_list(rubric: Rubric, item: Item) -> str:
    """An item's anchors as a markdown list (score in bold, then the anchor), for rating forms."""
    return "\n".join(
        f"- **{p}** {item.anchors[p]}" for p in rubric.scale.points if p in item.anchors
    )


def item_caption(rubric: Rubric, item: Item) -> str:
    """Kind, dimension and where the item applies, in one line."""
    phases = ", ".join(item.phases) or "every phase"
    areas = ", ".join(label(a) for a in item.problem_areas) or "every problem area"
    na = "N/A allowed" if rubric.na_allowed(item) else "always scored"
    return f"{KIND_LABELS[item.kind]} · {item.dimension} · {phases} · {areas} · {na}"


def rules_markdown(rubric: Rubric) -> str:
    """The rubric's scoring rules as a markdown list, one bold title and its text per rule."""
    return "\n".join(f"- **{rule.title}.** {rule.text}" for rule in rubric.rules)


def rubric_view(rubric: Rubric) -> None:
    """A rubric's scale, rules and every item with its anchors."""
    st.markdown(f"**Manual:** {rubric.manual}")
    if rubric.description:
        st.markdown(rubric.description)
    st.markdown(
        "**Scale:** " + " · ".join(f"{p} {rubric.scale.labels[p]}" for p in rubric.scale.points)
    )
    st.markdown(f"**Not applicable:** {rubric.not_applicable.rule}")
    if rubric.scoring:
        st.markdown(f"**Scoring:** {rubric.scoring}")
    if rubric.rules:
        st.markdown("**Scoring rules**")
        st.markdown(rules_markdown(rubric))
    for section in rubric.sections:
        st.subheader(section.title)
        if section.description:
            st.caption(section.description)
        for item in section.items:
            with st.expander(f"{item.text}  ·  `{item.id}`"):
                st.caption(item_caption(rubric, item))
                st.markdown(item.description)
                st.markdown(anchors_table(rubric, item))
    with st.expander("Sources"):
        for source in rubric.sources:
            st.markdown(f"- {source.citation}")


def vignette_html(case: Case, named: Iterable[str] = (), missed: Iterable[str] = ()) -> str:
    """The vignette as escaped HTML, with cue quotes marked (named in green, missed in red)."""
    marks = [(q, "ipt-cue") for q in named] + [(q, "ipt-cue-missed") for q in missed]
    v = case.vignette
    blocks = [
        ("Referral", v.referral),
        ("Presenting symptoms", v.presenting_symptoms),
        ("History", v.history),
    ]
    people = "".join(
        f"<li><b>{html.escape(p.name)}</b> ({html.escape(p.relationship)}): "
        f"{_mark_cues(' '.join(filter(None, [p.quality, p.expectations, p.changes])), marks)}"
        "</li>"
        for p in v.interpersonal_inventory
    )
    body = "".join(f"<h5>{title}</h5><p>{_mark_cues(text, marks)}</p>" for title, text in blocks)
    body += f"<h5>Interpersonal inventory</h5><ul>{people}</ul>"
    body += f"<h5>Recent events</h5><p>{_mark_cues(v.recent_events, marks)}</p>"
    return _TRANSCRIPT_CSS + body


def _mark_cues(text: str, marks: list[tuple[str, str]]) -> str:
    """Escape `text`, wrapping each cue quote found in it (whitespace-insensitive) in a span."""
    spans: list[tuple[int, int, str]] = []
    for quote, css in marks:
        words = normalise_quote(quote).split(" ")
        pattern = r"\s+".join(re.escape(w) for w in words)
        found = re.search(pattern, _straight_quotes(text), re.IGNORECASE)
        if found:
            spans.append((found.start(), found.end(), css))
    out, pos = [], 0
    for start, end, css in sorted(spans):
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f'<span class="{css}">{html.escape(text[start:end])}</span>')
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _straight_quotes(text: str) -> str:
    """Typographic quotes as straight ones, keeping every offset."""
    return text.translate(
        str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
    )


def client_line(case: Case) -> str:
    """Who the client is, in one line."""
    c = case.vignette.client
    parts = [c.pseudonym, f"{c.age}", c.gender, c.background, c.occupation]
    return " · ".join(p for p in parts if p) + f" — {case.vignette.setting}"


def turn_from_address() -> int:
    """The turn a link asked to open (`?turn=N`), else the first."""
    value = st.query_params.get("turn", "1")
    return int(value) if value.isascii() and value.isdigit() else 1
