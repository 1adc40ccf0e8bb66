"""resource_counts (SQLite): the triggers keep it equal to the rows, and migration 0003
builds it from the rows a database already holds."""

from sqlalchemy import JSON, Boolean, Float, Integer, MetaData, Table, create_engine, delete, func, insert, select

from ecsemu.store import Database, counts, migrate
from ecsemu.store.schema import disks, instances, resource_counts


def _row(table, resource_id, account_id, region_id):
    values = {"id": resource_id, "account_id": account_id, "region_id": region_id, "created_at": 1.0}
    for column in table.columns:
        if column.name not in values and not column.nullable and column.default is None:
            kind = column.type
            values[column.name] = ([] if isinstance(kind, JSON) else False if isinstance(kind, Boolean)
                                   else 0.0 if isinstance(kind, Float) else 1 if isinstance(kind, Integer) else "x")
    return values


def _counted(conn, table):
    return {(a, r): n for a, r, n in conn.execute(
        select(resource_counts.c.account_id, resource_counts.c.region_id, resource_counts.c.n)
        .where(resource_counts.c.table_name == table.name)) if n}


def _actual(conn, table):
    return {(a, r): n for a, r, n in conn.execute(
        select(table.c.account_id, table.c.region_id, func.count()).group_by(table.c.account_id, table.c.region_id))}


def test_the_triggers_keep_the_counts_with_every_insert_and_delete(tmp_path):
    db = Database.open(path=tmp_path / "state.db")
    with db.transaction() as conn:
        for n in range(5):
            conn.execute(insert(disks).values(**_row(disks, f"d-{n}", "a", "cn-hangzhou" if n < 3 else "cn-shanghai")))
        conn.execute(insert(disks).values(**_row(disks, "d-b", "b", "cn-hangzhou")))
        conn.execute(insert(instances).values(**_row(instances, "i-1", "a", "cn-hangzhou")))
    with db.transaction() as conn:
        conn.execute(delete(disks).where(disks.c.id.in_(["d-0", "d-4"])))
    with db.transaction(read_only=True) as conn:
        assert _counted(conn, disks) == _actual(conn, disks) == {
            ("a", "cn-hangzhou"): 2, ("a", "cn-shanghai"): 1, ("b", "cn-hangzhou"): 1}
        assert _counted(conn, instances) == {("a", "cn-hangzhou"): 1}
        assert counts.stored_count(conn, disks, "a", "cn-hangzhou") == 2
        assert counts.stored_count(conn, disks, "a", "cn-beijing") == 0
    try:  # a change that fails leaves the count as it was
        with db.transaction() as conn:
            conn.execute(insert(disks).values(**_row(disks, "d-9", "a", "cn-hangzhou")))
            raise RuntimeError
    except RuntimeError:
        pass
    with db.transaction(read_only=True) as conn:
        assert counts.stored_count(conn, disks, "a", "cn-hangzhou") == 2
    db.dispose()


def test_upgrading_to_0003_counts_the_rows_already_there(tmp_path):
    path = tmp_path / "state.db"
    older = create_engine(f"sqlite:///{path}")
    migrate.upgrade(older, "0002")  # as an ecsemu at revision 0002 left it, with rows
    old_disks = Table("disks", MetaData(), autoload_with=older)
    with older.begin() as conn:
        for n in range(4):
            conn.execute(insert(old_disks).values(**_row(old_disks, f"d-{n}", "a", "cn-hangzhou")))
    older.dispose()
    db = Database.open(path=path)
    with db.transaction() as conn:
        assert _counted(conn, disks) == {("a", "cn-hangzhou"): 4}
        conn.execute(insert(disks).values(**_row(disks, "d-new", "a", "cn-hangzhou")))
        assert _counted(conn, disks) == {("a", "cn-hangzhou"): 5}
    db.dispose()
