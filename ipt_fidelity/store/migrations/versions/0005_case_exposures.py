"""Case exposures: when a trainee could first have learnt a case's answer outside formulating it.

Revision ID: 0005_case_exposures
Revises: 0004_upload_rubric
Create Date: 2026-11-29 20:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_case_exposures"
down_revision = "0004_upload_rubric"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_exposures",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(80), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("via", sa.String(120), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_case_exposures_user_id_users"
        ),
        sa.PrimaryKeyConstraint("user_id", "case_id", name="pk_case_exposures"),
    )


def downgrade() -> None:
    op.drop_table("case_exposures")
