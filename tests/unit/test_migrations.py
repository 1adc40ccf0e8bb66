"""The Alembic migrations build exactly the schema that store/schema.py describes."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ecsemu.store import Database
from ecsemu.store.schema import metadata


def test_migrations_match_the_metadata():
    db = Database.open()
    with db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == [], "store/schema.py changed: add a migration (see docs/architecture.md)"


def test_migrations_match_on_postgresql(postgres):
    db = Database.open(postgres.new_database())
    with db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    db.dispose()
    assert differences == []
