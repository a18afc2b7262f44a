"""Each uploaded session names the rubric it is rated with (one rule: a session's rubric).

Uploads made before this revision were rated with the only session rubric there was.

Revision ID: 0004_upload_rubric
Revises: 0003_formulation_drafts
Create Date: 2026-11-29 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_upload_rubric"
down_revision = "0003_formulation_drafts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("imported_sessions") as batch:
        batch.add_column(sa.Column("rubric_id", sa.String(80), nullable=True))
    op.execute("UPDATE imported_sessions SET rubric_id = 'ipt_adherence'")
    with op.batch_alter_table("imported_sessions") as batch:
        batch.alter_column("rubric_id", existing_type=sa.String(80), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("imported_sessions") as batch:
        batch.drop_column("rubric_id")
