"""What CopySnapshot records of a copy: the snapshot it was copied from, and that one's region.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

COLUMNS = (
    ('source_snapshot_id', sa.String(length=64)),
    ('source_region_id', sa.String(length=32)),
)


def upgrade() -> None:
    for name, type_ in COLUMNS:
        op.add_column('snapshots', sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('snapshots') as batch:
        for name, _type in COLUMNS:
            batch.drop_column(name)
