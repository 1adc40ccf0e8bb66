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


# Opening a database at the newest revision skips Alembic; a database behind is upgraded
# under a lock (store/migrate.py).

def test_head_revision_is_alembics_head():
    """The one source of truth is the migration files: what migrate.py reads from them
    without Alembic is what Alembic itself calls head."""
    from alembic.script import ScriptDirectory

    from ecsemu.store import migrate

    assert migrate.head_revision() == ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()


def _without_alembic_upgrade(monkeypatch):
    """Makes running Alembic's upgrade fail the test."""
    import alembic.command

    def refuse(*_args, **_kwargs):
        raise AssertionError("Alembic ran on a database already at head")
    monkeypatch.setattr(alembic.command, "upgrade", refuse)


def test_a_database_at_head_is_opened_with_one_query_and_no_alembic(tmp_path, monkeypatch):
    from sqlalchemy import create_engine, event

    from ecsemu.store import migrate

    path = tmp_path / "state.db"
    Database.open(path=path).dispose()
    _without_alembic_upgrade(monkeypatch)
    Database.open(path=path).dispose()  # would raise if Alembic ran

    statements = []   # every statement SQLite runs, as its trace callback sees them
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", lambda dbapi, _record: dbapi.set_trace_callback(statements.append))
    migrate.upgrade(engine)
    engine.dispose()
    assert statements == ["SELECT version_num FROM alembic_version"]


def test_opening_at_head_does_not_import_alembic(tmp_path):
    """In a fresh interpreter: opening an existing database leaves alembic unimported."""
    import subprocess
    import sys

    path = tmp_path / "state.db"
    Database.open(path=path).dispose()
    code = ("import sys; from pathlib import Path; from ecsemu.store import Database; "
            f"Database.open(path=Path({str(path)!r})).dispose(); "
            "print(sorted(name for name in sys.modules if name.split('.')[0] == 'alembic'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_database_behind_is_upgraded(tmp_path):
    """A database an older ecsemu left at the first revision (made by that revision's
    migration alone, so later migrations meet exactly the schema they were written for)."""
    from sqlalchemy import create_engine

    from ecsemu.store import migrate

    path = tmp_path / "state.db"
    older = create_engine(f"sqlite:///{path}")
    migrate.upgrade(older, "0001")
    older.dispose()
    assert migrate.stored_revisions(older) == {"0001"}
    db = Database.open(path=path)
    assert migrate.stored_revisions(db.engine) == {migrate.head_revision()}
    with db.engine.connect() as conn:
        assert conn.dialect.has_table(conn, "signature_nonces")
    db.dispose()


def test_a_fresh_database_has_no_stored_revision(tmp_path):
    from sqlalchemy import create_engine

    from ecsemu.store import migrate

    engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert migrate.stored_revisions(engine) is None
    engine.dispose()


def test_the_migration_lock_serialises_upgrades_on_postgresql(postgres):
    """While one connection holds the migration lock, another's upgrade waits for it, then
    finds the database at head and does nothing."""
    import threading

    from sqlalchemy import create_engine

    from ecsemu.store import migrate

    url = postgres.new_database().replace("postgresql://", "postgresql+psycopg://", 1)
    holder, waiter = create_engine(url), create_engine(url)
    done = threading.Event()
    errors = []

    def upgrade_in_thread():
        try:
            migrate.upgrade(waiter)
        except Exception as exc:  # reported below
            errors.append(exc)
        done.set()

    with holder.begin() as conn:
        migrate._take_migration_lock(conn)
        thread = threading.Thread(target=upgrade_in_thread)
        thread.start()
        assert not done.wait(0.5), "upgrade did not wait for the migration lock"
        config = migrate.alembic_config()
        config.attributes["connection"] = conn
        from alembic import command
        command.upgrade(config, "head")
    thread.join(10)
    assert done.is_set() and errors == []
    assert migrate.stored_revisions(waiter) == {migrate.head_revision()}
    holder.dispose()
    waiter.dispose()
