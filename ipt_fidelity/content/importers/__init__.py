"""Import recorded-session transcripts (VTT, SRT, Otter, Whisper/WhisperX JSON, text, DOCX)."""

from .common import MAX_BYTES
from .load import import_bytes, import_file
from .roles import map_roles
from .session import session_id, session_yaml, to_session
from .speakers import METHODS as SPEAKER_METHODS
from .speakers import assign_speakers, set_speaker
from .transcript import (
    FORMATS,
    ImportedTranscript,
    RawTurn,
    Role,
    RoleMappingError,
    TranscriptImportError,
)

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "SPEAKER_METHODS",
    "ImportedTranscript",
    "RawTurn",
    "Role",
    "RoleMappingError",
    "TranscriptImportError",
    "assign_speakers",
    "import_bytes",
    "import_file",
    "map_roles",
    "session_id",
    "session_yaml",
    "set_speaker",
    "to_session",
]
