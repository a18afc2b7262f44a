"""Speaker mapping, and conversion of a mapped transcript to the session model and YAML."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from ipt_fidelity.content.importers import (
    RoleMappingError,
    import_bytes,
    import_file,
    map_roles,
    session_id,
    session_yaml,
    to_session,
)
from ipt_fidelity.content.models import Session

DATA = Path(__file__).parent / "data" / "transcripts"
SESSION = {"id": "s1", "case": "imported", "session_number": 2, "phase": "initial"}

GROUP = b"Ann: Hello all.\nBob: Hi.\nCy: Hey.\nInterpreter: (translates)\nAnn: Let's begin.\n"


def test_map_roles_therapist_others_and_clients():
    t = map_roles(import_bytes(GROUP, "g.txt"), "ann", other=["Interpreter"])
    assert [(x.speaker, x.role) for x in t.turns] == [
        ("Ann", "therapist"),
        ("Bob", "client"),
        ("Cy", "client"),
        ("Interpreter", "other"),
        ("Ann", "therapist"),
    ]


def test_map_roles_overrides_role_words():
    t = map_roles(import_file(DATA / "roles.txt"), "Client")  # e.g. labels swapped by the tool
    assert [x.role for x in t.turns] == ["client", "therapist", "client"]


def test_map_roles_errors_name_the_speakers():
    t = import_bytes(GROUP, "g.txt")
    with pytest.raises(RoleMappingError, match=r"no speaker 'Dee'.*'Ann', 'Bob'"):
        map_roles(t, "Dee")
    with pytest.raises(RoleMappingError, match="both the therapist and other"):
        map_roles(t, "Ann", other=["ann"])


def test_unlabelled_turns_stay_unknown_after_mapping():
    t = map_roles(import_file(DATA / "whisperx.json"), "SPEAKER_00")
    assert [x.role for x in t.turns] == ["therapist", "client", "therapist", "unknown"]


def test_to_session_from_role_labels_validates_against_the_model():
    session = to_session(import_file(DATA / "roles.txt"), fidelity="mixed", **SESSION)
    assert isinstance(session, Session)
    assert [(x.n, x.speaker, x.start) for x in session.turns] == [
        (1, "therapist", 3.0),
        (2, "client", 10.0),
        (3, "therapist", 65.0),
    ]


def test_to_session_names_unmapped_and_unlabelled_speakers():
    with pytest.raises(RoleMappingError, match=r"no role for speaker\(s\) 'Dr\. Maria Lopez'"):
        to_session(import_file(DATA / "zoom.vtt"), fidelity="high", **SESSION)
    mapped = map_roles(import_file(DATA / "whisperx.json"), "SPEAKER_00")
    with pytest.raises(RoleMappingError, match=r"1 turn\(s\) have no speaker label"):
        to_session(mapped, fidelity="high", **SESSION)


def test_to_session_other_speakers_need_drop_other():
    t = map_roles(import_bytes(GROUP, "g.txt"), "Ann", other=["Interpreter"])
    with pytest.raises(RoleMappingError, match="'Interpreter' are mapped as other"):
        to_session(t, fidelity="low", **SESSION)
    session = to_session(t, fidelity="low", drop_other=True, **SESSION)
    assert [x.n for x in session.turns] == [1, 2, 3, 4]
    assert "(translates)" not in [x.text for x in session.turns]


def test_to_session_field_errors_come_from_the_model():
    t = import_file(DATA / "roles.txt")
    with pytest.raises(ValidationError):
        to_session(t, fidelity="unknown", **SESSION)
    with pytest.raises(ValidationError):
        to_session(t, fidelity="high", **{**SESSION, "id": "Not An Id"})


def test_session_yaml_round_trips_through_the_model():
    session = to_session(import_file(DATA / "abbrev.txt"), fidelity="high", **SESSION)
    data = yaml.safe_load(session_yaml(session))
    assert Session.model_validate(data) == session
    assert list(data) == [k for k in Session.model_fields if k in data]  # model order


def test_session_yaml_leaves_out_missing_start():
    t = map_roles(import_bytes(b"Ann: Hi.\nBo: Hello.\n", "a.txt"), "Ann")
    data = yaml.safe_load(session_yaml(to_session(t, fidelity="high", **SESSION)))
    assert data["turns"][0] == {"n": 1, "speaker": "therapist", "text": "Hi."}


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("Zoom Call 2024-03-01", "zoom-call-2024-03-01"),
        ("__--", "imported-session"),
        ("x" * 100, "x" * 80),
        ("Ünïcode", "n-code"),
    ],
)
def test_session_id_from_file_names(stem, expected):
    assert session_id(stem) == expected
