"""Import recorded-session transcripts (VTT, SRT, Otter, Whisper/WhisperX JSON, text, DOCX)."""

from .common import MAX_BYTES
from .load import import_bytes, import_file
from .model import (
    FORMATS,
    ImportedTranscript,
    RawTurn,
    Role,
    RoleMappingError,
    TranscriptImportError,
)
from .roles import map_roles
from .session import session_id, session_yaml, to_session

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "ImportedTranscript",
    "RawTurn",
    "Role",
    "RoleMappingError",
    "TranscriptImportError",
    "import_bytes",
    "import_file",
    "map_roles",
    "session_id",
    "session_yaml",
    "to_session",
]
