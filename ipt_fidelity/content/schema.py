"""JSON Schemas of the content files, generated from the models so editors validate as you type."""

from __future__ import annotations

from typing import Any

from .learn import LearnIndex, LearnPage
from .models import Case, Rubric, Session

SCHEMA_KINDS = ("rubric", "case", "session", "learn_page", "learn_index")
_MODELS = {
    "rubric": Rubric,
    "case": Case,
    "session": Session,
    "learn_page": LearnPage,
    "learn_index": LearnIndex,
}


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of content file."""
    schema = _MODELS[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{kind}.schema.json"
    return schema
