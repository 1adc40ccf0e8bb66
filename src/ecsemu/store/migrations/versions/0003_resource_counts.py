"""Rows a table holds for each (account, region): disks and instances, kept by triggers
on SQLite (see store/schema.py: resource_counts).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

COUNTED = ('disks', 'instances')


def upgrade() -> None:
    # Built from the rows themselves, from scratch: whatever a partial earlier attempt left
    # goes first (the counts are derived data).
    downgrade()
    op.create_table('resource_counts',
    sa.Column('table_name', sa.String(length=32), nullable=False),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('region_id', sa.String(length=32), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('table_name', 'account_id', 'region_id')
    )
    if op.get_bind().dialect.name != 'sqlite':
        return
    for table in COUNTED:
        op.execute(f"INSERT INTO resource_counts (table_name, account_id, region_id, n) "
                   f"SELECT '{table}', account_id, region_id, count(*) FROM {table} "
                   f"GROUP BY account_id, region_id")
        op.execute(f"CREATE TRIGGER {table}_counted_insert AFTER INSERT ON {table} BEGIN "
                   f"INSERT INTO resource_counts (table_name, account_id, region_id, n) "
                   f"VALUES ('{table}', NEW.account_id, NEW.region_id, 1) "
                   f"ON CONFLICT (table_name, account_id, region_id) DO UPDATE SET n = n + 1; END")
        op.execute(f"CREATE TRIGGER {table}_counted_delete AFTER DELETE ON {table} BEGIN "
                   f"UPDATE resource_counts SET n = n - 1 WHERE table_name = '{table}' "
                   f"AND account_id = OLD.account_id AND region_id = OLD.region_id; END")
        op.execute(f"CREATE TRIGGER {table}_counted_move AFTER UPDATE OF account_id, region_id ON {table} "
                   f"WHEN OLD.account_id != NEW.account_id OR OLD.region_id != NEW.region_id BEGIN "
                   f"UPDATE resource_counts SET n = n - 1 WHERE table_name = '{table}' "
                   f"AND account_id = OLD.account_id AND region_id = OLD.region_id; "
                   f"INSERT INTO resource_counts (table_name, account_id, region_id, n) "
                   f"VALUES ('{table}', NEW.account_id, NEW.region_id, 1) "
                   f"ON CONFLICT (table_name, account_id, region_id) DO UPDATE SET n = n + 1; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for table in COUNTED:
            for event in ('insert', 'delete', 'move'):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_counted_{event}")
    op.execute("DROP TABLE IF EXISTS resource_counts")
