"""Statements run on the driver give what SQLAlchemy's execute gives: the same rows, the same
values (booleans, JSON, floats converted alike), for every length of an IN list, with the
values fixed in the statement, on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import bindparam, func, insert, select, update

from ecsemu.store import Database
from ecsemu.store.schema import disks, images, instances
from ecsemu.store.statements import OneOff, Statement

IMAGE = {"account_id": "1", "region_id": "cn-hangzhou", "status": "Available", "os_type": "linux",
         "platform": "Ubuntu", "os_name": "Ubuntu 22.04", "architecture": "x86_64", "size": 40,
         "completes_at": 1700000000.25, "created_at": 1700000000.25,
         "disk_device_mappings": [{"Device": "/dev/xvda", "Size": "40"}]}
DISK = {"account_id": "1", "region_id": "cn-hangzhou", "zone_id": "cn-hangzhou-b", "status": "Available",
        "disk_type": "data", "category": "cloud_essd", "size": 20, "created_at": 1700000000.5}


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request):
    if request.param == "sqlite":
        database = Database.open()
    else:
        database = Database.open(request.getfixturevalue("postgres").new_database())
    yield database
    database.dispose()


def _image(n: int) -> dict:
    return {**IMAGE, "id": f"m-{n}", "image_name": f"image {n}"}


def _disk(n: int) -> dict:
    return {**DISK, "id": f"d-{n}", "portable": n % 2 == 0, "delete_with_instance": n % 3 == 0}


@pytest.mark.parametrize("table, row", [(images, _image), (disks, _disk)])
def test_rows_are_those_sqlalchemy_gives(db, table, row):
    query = select(table).where(table.c.id.in_(bindparam("ids", expanding=True)),
                                table.c.status == "Available").order_by(table.c.id)
    prefix = table.name[0]
    with db.transaction() as conn:
        conn.execute(insert(table), [row(n) for n in range(4)])
        for ids in ([], ["1"], ["0", "2", "3", "9"]):
            ids = [f"{prefix}-{n}" for n in ids]
            expected = [tuple(found) for found in conn.execute(query, {"ids": ids})]
            got = Statement(query).all(conn, ids=ids)
            assert [tuple(found) for found in got] == expected
            assert [type(value) for found in got for value in found] == \
                [type(value) for found in expected for value in found]
        assert Statement(query).first(conn, ids=["nothing"]) is None


def test_rows_have_named_fields(db):
    with db.transaction() as conn:
        conn.execute(insert(images), [_image(1)])
        conn.execute(insert(disks), [_disk(1)])
        image = Statement(select(images).where(images.c.id == bindparam("id"))).first(conn, id="m-1")
        disk = Statement(select(disks).where(disks.c.id == bindparam("id"))).first(conn, id="d-1")
    assert (image.id, image.disk_device_mappings, image.created_at) == \
        ("m-1", IMAGE["disk_device_mappings"], 1700000000.25)
    assert (disk.portable, disk.delete_with_instance, disk.encrypted) == (False, False, False)


def test_values_fixed_in_the_statement_and_changes(db):
    count = Statement(select(func.count()).select_from(images).where(
        images.c.image_name.like("image%"), images.c.size == bindparam("size")))
    rename = Statement(update(images).where(images.c.id == bindparam("image_id"))
                       .values(image_name=bindparam("name")))
    with db.transaction() as conn:
        conn.execute(insert(images), [_image(n) for n in range(3)])
        assert count.scalar(conn, size=40) == 3
        assert rename.rowcount(conn, image_id="m-2", name="renamed") == 1
        assert count.scalar(conn, size=40) == 2
        assert count.scalar(conn, size=41) == 0


def test_a_one_off_statement_has_the_same_methods(db):
    query = select(instances.c.id).where(instances.c.id.in_(bindparam("ids", expanding=True)))
    with db.transaction() as conn:
        assert OneOff(query).all(conn, ids=("i-1",)) == Statement(query).all(conn, ids=("i-1",)) == []
