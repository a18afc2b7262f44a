"""Import then export gives back what was imported, for any valid file (property-based)."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipt_fidelity import store
from ipt_fidelity.content.library import Library
from ipt_fidelity.store.exchange import export_rows, import_ratings, read_csv
from tests.fixtures_db import Databases, make_people

RATERS = ("trainee", "peer", "sup_a")
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30
)


@st.composite
def item_rows(draw: st.DrawFn, rater: str) -> list[dict[str, str]]:
    """The rows of one rater's rating of the mini session: both items, any valid values."""
    rows = []
    for item, scores in (("focus", ["1", "2", "3"]), ("grief_work", ["1", "2", "3", "na", ""])):
        evidence = draw(st.lists(st.integers(1, 3), unique=True, max_size=3))
        rows.append(
            {
                "rater": rater,
                "session": "mini-session",
                "rubric": "mini",
                "item": item,
                "score": draw(st.sampled_from(scores)),
                "comment": draw(TEXT).strip(),
                "evidence": draw(st.sampled_from([" ", ";", "; "])).join(map(str, evidence)),
            }
        )
    return rows


@st.composite
def files(draw: st.DrawFn) -> list[dict[str, str]]:
    raters = draw(st.lists(st.sampled_from(RATERS), min_size=1, unique=True))
    return [row for rater in raters for row in draw(item_rows(rater))]


def _as_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _canonical(row: dict[str, str]) -> tuple[str, ...]:
    score = "na" if row["score"] in ("", "na") else row["score"]
    evidence = " ".join(sorted(row["evidence"].replace(";", " ").split(), key=int))
    return (row["rater"], row["item"], score, row["comment"], evidence)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=files())
def test_import_export_round_trip(
    rows: list[dict[str, str]], databases: Databases, library: Library, tmp_path_factory
) -> None:
    path = tmp_path_factory.mktemp("csv") / "ratings.csv"
    path.write_text(_as_csv(rows), encoding="utf-8")
    engine = store.make_engine(databases.fresh("sqlite"))
    with store.open_session(engine) as db:
        make_people(db)
        assert import_ratings(db, read_csv(path), library) == len({r["rater"] for r in rows})
        exported = export_rows(db)
    engine.dispose()
    assert sorted(map(_canonical, exported)) == sorted(map(_canonical, rows))


def test_formula_like_cells_are_inert_in_the_file_and_read_back_unchanged(tmp_path):
    from ipt_fidelity.store.exchange import EXPORT_COLUMNS, read_csv, write_export

    row = dict.fromkeys(EXPORT_COLUMNS, "x")
    row |= {"score": "2", "comment": '=HYPERLINK("http://evil","x")', "evidence": "-3"}
    path = tmp_path / "out.csv"
    write_export([row], "csv", path)
    assert "'=HYPERLINK" in path.read_text()
    back = read_csv(path)[0]
    assert back["comment"] == row["comment"] and back["evidence"] == "-3"
