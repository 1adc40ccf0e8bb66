"""What ModifyDiskAttribute and ModifyImageAttribute change: a disk's automatic-snapshot
and burst flags; an image's family, version, boot mode, licence type and features.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# server_default fills the rows already there (the schema's own defaults are made in Python,
# on insert).
DISK_COLUMNS = (
    ('enable_auto_snapshot', sa.Boolean(), sa.true()),
    ('bursting_enabled', sa.Boolean(), sa.false()),
)
IMAGE_COLUMNS = (
    ('image_family', sa.String(length=128), ''),
    ('image_version', sa.String(length=40), ''),
    ('boot_mode', sa.String(length=16), 'BIOS'),
    ('license_type', sa.String(length=16), 'Auto'),
    ('nvme_support', sa.String(length=16), 'supported'),
    ('imds_support', sa.String(length=8), 'v2'),
)


def _add(table: str, columns) -> None:
    for name, type_, default in columns:
        op.add_column(table, sa.Column(name, type_, nullable=False, server_default=default))


def upgrade() -> None:
    _add('disks', DISK_COLUMNS)
    _add('images', IMAGE_COLUMNS)


def downgrade() -> None:
    for table, columns in (('images', IMAGE_COLUMNS), ('disks', DISK_COLUMNS)):
        with op.batch_alter_table(table) as batch:
            for name, _type, _default in columns:
                batch.drop_column(name)
