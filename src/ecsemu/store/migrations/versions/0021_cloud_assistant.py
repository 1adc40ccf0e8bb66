"""Cloud Assistant: commands, invocations and each instance's result.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def _owned() -> list[sa.Column]:
    return [
        sa.Column('account_id', sa.String(length=32), nullable=False),
        sa.Column('region_id', sa.String(length=32), nullable=False),
        sa.Column('created_at', sa.Float(), nullable=False),
        sa.Column('resource_group_id', sa.String(length=64), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        'commands',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=128), nullable=False),
        sa.Column('description', sa.String(length=512), nullable=False),
        sa.Column('type', sa.String(length=32), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('working_dir', sa.String(length=256), nullable=False),
        sa.Column('timeout', sa.BigInteger(), nullable=False),
        sa.Column('enable_parameter', sa.Boolean(), nullable=False),
        sa.Column('parameter_names', sa.Text(), nullable=False),
        sa.Column('kept', sa.Boolean(), nullable=False),
        sa.Column('invoke_times', sa.Integer(), nullable=False),
        *_owned(),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_commands_listing', 'commands', ['account_id', 'region_id', 'created_at', 'id'])
    op.create_table(
        'invocations',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('command_id', sa.String(length=64), nullable=False),
        sa.Column('command_name', sa.String(length=128), nullable=False),
        sa.Column('command_type', sa.String(length=32), nullable=False),
        sa.Column('command_description', sa.String(length=512), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('parameters', sa.Text(), nullable=False),
        sa.Column('repeat_mode', sa.String(length=16), nullable=False),
        sa.Column('timeout', sa.BigInteger(), nullable=False),
        sa.Column('working_dir', sa.String(length=256), nullable=False),
        sa.Column('username', sa.String(length=256), nullable=False),
        *_owned(),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_invocations_listing', 'invocations', ['account_id', 'region_id', 'created_at', 'id'])
    op.create_table(
        'invocation_results',
        sa.Column('invoke_id', sa.String(length=64), nullable=False),
        sa.Column('instance_id', sa.String(length=64), nullable=False),
        sa.Column('account_id', sa.String(length=32), nullable=False),
        sa.Column('invocation_status', sa.String(length=16), nullable=False),
        sa.Column('exit_code', sa.BigInteger(), nullable=True),
        sa.Column('error_code', sa.String(length=64), nullable=False),
        sa.Column('error_info', sa.String(length=256), nullable=False),
        sa.Column('output', sa.Text(), nullable=False),
        sa.Column('dropped', sa.Integer(), nullable=False),
        sa.Column('repeats', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.Float(), nullable=False),
        sa.Column('updated_at', sa.Float(), nullable=False),
        sa.Column('start_time', sa.Float(), nullable=True),
        sa.Column('finish_time', sa.Float(), nullable=True),
        sa.Column('stop_time', sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint('invoke_id', 'instance_id'),
    )
    op.create_index('ix_invocation_results_instance', 'invocation_results', ['account_id', 'instance_id'])
    op.create_index('ix_invocation_results_status', 'invocation_results', ['invocation_status'])


def downgrade() -> None:
    op.drop_table('invocation_results')
    op.drop_table('invocations')
    op.drop_table('commands')
