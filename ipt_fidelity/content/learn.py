"""Learn IPT: the team's teaching pages, their worked examples, and the links into them.

A page (`learn/<page-id>.yaml`) has a title, a summary and sections; each section has an anchor, a
Markdown body and worked examples that quote one turn of a library session verbatim.
`learn/index.yaml` puts the pages in reading order and maps every rubric item, problem area,
dispute stage and phase to the page and section that teach it, so the rating form, the comparison,
the formulation feedback and the drills can link to them. The checks live in `learncheck.py`;
`library.load_library` loads the files with everything else and reports problems at their lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .models import Id, Session, Source, Strict, Text
from .vocab import DisputeStage, Phase, ProblemArea

ANCHOR = r"[a-z0-9][a-z0-9\-]*"
Anchor = Annotated[str, StringConstraints(pattern=rf"^{ANCHOR}$", max_length=60)]
Target = Annotated[
    str,
    StringConstraints(pattern=rf"^[a-z0-9][a-z0-9_\-]*(#{ANCHOR})?$", max_length=140),
]
Quote = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
ExampleKind = Literal["model", "pitfall"]

# A citation in a body: [@weissman2018] or [@weissman2018; @klerman1984].
CITATION = re.compile(r"\[(@[^\]\n]*)\]")
# An inline Markdown link's target, as `section_markdown` rewrites it: ](target) or ](target "t").
INLINE_TARGET = re.compile(r"\]\(\s*<?([^()\s<>]+)>?((?:\s+\"[^\"]*\")?\s*)\)")


class Example(Strict):
    """A worked example: a verbatim quote from one turn of a library session, and what it shows."""

    session: Id
    turn: int = Field(ge=1)
    quote: Quote = Field(
        description="word for word from the turn (whitespace, case and quote marks aside)"
    )
    shows: ExampleKind = Field(
        default="model",
        description="model: the technique done well; pitfall: drift or a missed opportunity",
    )
    note: Text = Field(description="what a rater should notice in the quote")


class PageSection(Strict):
    """One section of a page: the unit a link lands on."""

    anchor: Anchor
    title: Text
    body: Text = Field(
        description=(
            "Markdown; links as [text](page#anchor), [text](#anchor) or https://; "
            "cite the page's sources as [@id]"
        )
    )
    examples: list[Example] = Field(default_factory=list)


class LearnPage(Strict):
    """A teaching page, named after its file: `learn/<id>.yaml`."""

    id: Id
    title: Text
    summary: Text = Field(description="one or two sentences shown in the contents")
    sections: list[PageSection] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)

    def section(self, anchor: str) -> PageSection | None:
        return next((s for s in self.sections if s.anchor == anchor), None)


class LearnIndex(Strict):
    """The contents of Learn and the links into it from where learning happens."""

    pages: list[Id] = Field(min_length=1, description="every page id, in reading order")
    problem_areas: dict[ProblemArea, Target] = Field(
        description="formulation feedback: a missed cue or a wrong area links here"
    )
    dispute_stages: dict[DisputeStage, Target] = Field(
        description="formulation feedback: a wrong dispute stage links here"
    )
    phases: dict[Phase, Target]
    items: dict[Id, Target] = Field(
        description="rubric item id (of every rubric) -> the page#anchor teaching what it rates"
    )


@dataclass(frozen=True)
class Link:
    """Where a link into Learn lands: a page, and one of its sections (None: the page's top)."""

    page: str
    anchor: str | None
    title: str

    @property
    def target(self) -> str:
        return f"{self.page}#{self.anchor}" if self.anchor else self.page


def split_target(target: str) -> tuple[str, str | None]:
    """`page#anchor` as (page, anchor); a bare `page` has no anchor."""
    page, _, anchor = target.partition("#")
    return page, anchor or None


@dataclass(frozen=True)
class Learn:
    """The loaded pages in reading order, with the links the rest of the app follows into them."""

    pages: dict[str, LearnPage]
    index: LearnIndex | None

    def contents(self) -> list[LearnPage]:
        """The pages in the index's reading order (pages it does not list come last)."""
        order = self.index.pages if self.index else []
        listed = [self.pages[p] for p in order if p in self.pages]
        return listed + [p for p in self.pages.values() if p.id not in order]

    def resolve(self, target: str, page: str | None = None) -> Link | None:
        """The link a `page#anchor`, `page` or (within `page`) `#anchor` target lands on."""
        page_id, anchor = split_target(target)
        learn_page = self.pages.get(page_id or page or "")
        if learn_page is None:
            return None
        if anchor is None:
            return Link(learn_page.id, None, learn_page.title)
        section = learn_page.section(anchor)
        return Link(learn_page.id, anchor, section.title) if section else None

    def for_item(self, item_id: str) -> Link | None:
        """The page teaching the technique or task a rubric item rates."""
        return self._mapped(self.index.items if self.index else {}, item_id)

    def for_area(self, area: str) -> Link | None:
        """The page of a problem area (formulation feedback, a cue's area)."""
        return self._mapped(self.index.problem_areas if self.index else {}, area)

    def for_stage(self, stage: str) -> Link | None:
        """The section on a dispute stage."""
        return self._mapped(self.index.dispute_stages if self.index else {}, stage)

    def for_phase(self, phase: str) -> Link | None:
        """The section on a phase's tasks."""
        return self._mapped(self.index.phases if self.index else {}, phase)

    def section_markdown(
        self, page: LearnPage, section: PageSection, href: Callable[[Link], str]
    ) -> str:
        """A section's body for `st.markdown`: Learn links through `href`, citations as [n].

        A citation's number is the source's place in the page's `sources` list, so the page can
        list its sources, numbered, below the sections.
        """
        numbers = {s.id: i for i, s in enumerate(page.sources, 1)}

        def link(match: re.Match[str]) -> str:
            target = match.group(1)
            if target.startswith(("https://", "http://")):
                return match.group(0)
            resolved = self.resolve(target, page.id)
            return f"]({href(resolved)})" if resolved else match.group(0)

        def cite(match: re.Match[str]) -> str:
            ids = citation_ids(match.group(1))
            return "[" + ", ".join(str(numbers.get(i, "?")) for i in ids) + "]"

        return CITATION.sub(cite, INLINE_TARGET.sub(link, section.body))

    def _mapped(self, table: Mapping[str, str], key: str) -> Link | None:
        target = table.get(key)
        return self.resolve(target) if target else None


def citation_ids(inner: str) -> list[str]:
    """The source ids of one citation's inside: `@a; @b` -> ['a', 'b']."""
    return [part.strip().removeprefix("@").strip() for part in inner.split(";")]


def example_open(example: Example, sessions: Mapping[str, Session], rated: Collection[str]) -> bool:
    """Whether a trainee may see a worked example: the drills' blind rule.

    An example shows part of a transcript with a verdict on it, so it is open only when its
    session is practice material or one the trainee has already submitted a rating of.
    """
    session = sessions.get(example.session)
    return session is not None and (session.use == "practice" or example.session in rated)
