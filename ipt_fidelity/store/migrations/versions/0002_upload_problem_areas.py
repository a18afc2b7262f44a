"""Problem areas on uploaded sessions, so a session without a library case gets its area items.

Revision ID: 0002_upload_problem_areas
Revises: 0001
Create Date: 2026-11-26 00:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_upload_problem_areas"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("imported_sessions") as batch:
        batch.add_column(
            sa.Column("problem_areas", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("imported_sessions") as batch:
        batch.drop_column("problem_areas")
