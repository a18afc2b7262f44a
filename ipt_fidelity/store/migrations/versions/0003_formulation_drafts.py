"""Formulation drafts: a trainee's half-written formulation survives a refresh.

Revision ID: 0003_formulation_drafts
Revises: 0002_upload_problem_areas
Create Date: 2026-11-26 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_formulation_drafts"
down_revision = "0002_upload_problem_areas"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "formulation_drafts",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("case_id", sa.String(80), primary_key=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("formulation_drafts")
