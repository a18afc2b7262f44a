"""Item drills: drill sets given to cohorts and trainees' drill answers.

Revision ID: 0010_drills
Revises: 0005_case_exposures
Create Date: 2026-11-29 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_drills"
down_revision = "0005_case_exposures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drill_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("sessions", sa.JSON(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name="fk_drill_sets_cohort_id_cohorts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name="fk_drill_sets_created_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_drill_sets"),
    )
    op.create_index("ix_drill_sets_cohort_id", "drill_sets", ["cohort_id"])
    op.create_table(
        "drill_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(120), nullable=False),
        sa.Column("item_id", sa.String(80), nullable=False),
        sa.Column("rubric_id", sa.String(80), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("expert_score", sa.Integer(), nullable=False),
        sa.Column("drill_set_id", sa.Integer(), nullable=True),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_drill_attempts_user_id_users"),
        sa.ForeignKeyConstraint(
            ["drill_set_id"],
            ["drill_sets.id"],
            name="fk_drill_attempts_drill_set_id_drill_sets",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_drill_attempts"),
    )
    op.create_index("ix_drill_attempts_user_item", "drill_attempts", ["user_id", "item_id"])


def downgrade() -> None:
    op.drop_index("ix_drill_attempts_user_item", table_name="drill_attempts")
    op.drop_table("drill_attempts")
    op.drop_index("ix_drill_sets_cohort_id", table_name="drill_sets")
    op.drop_table("drill_sets")
