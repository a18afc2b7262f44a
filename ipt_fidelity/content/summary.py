"""A plain-data listing of the library, as `content --json` prints it."""

from __future__ import annotations

from typing import Any

from .library import Library


def library_summary(library: Library) -> dict[str, list[dict[str, Any]]]:
    """Rubrics, cases and sessions with the fields scripts need."""
    rubrics = [
        {
            "id": r.id,
            "version": r.version,
            "title": r.title,
            "target": r.target,
            "scale": {"min": r.scale.min, "max": r.scale.max},
            "item_ids": [i.id for i in r.items],
        }
        for r in library.rubrics.values()
    ]
    cases = [
        {
            "id": c.id,
            "title": c.title,
            "primary_problem_area": c.key.primary_problem_area,
            "secondary_problem_area": c.key.secondary_problem_area,
            "dispute_stage": c.key.dispute_stage,
            "rubric": c.rubric,
        }
        for c in library.cases.values()
    ]
    sessions = []
    for s in library.sessions.values():
        rubric = library.rubric_for(s)
        in_scope = (
            library.applicable_items(s.id, rubric.id) if rubric and s.case in library.cases else []
        )
        sessions.append(
            {
                "id": s.id,
                "case": s.case,
                "phase": s.phase,
                "session_number": s.session_number,
                "fidelity": s.fidelity,
                "difficulty": s.difficulty,
                "use": s.use,
                "turns": len(s.turns),
                "rubric": rubric.id if rubric else None,
                "item_ids": [i.id for i in in_scope],
                "has_reference_rating": s.reference_rating is not None,
            }
        )
    return {"rubrics": rubrics, "cases": cases, "sessions": sessions}
