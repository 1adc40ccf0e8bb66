"""The shape that keeps the store cheap (no timings here): reads in read-only
transactions, "anything due?" answered from memory yet never missing what is due."""

import os
from datetime import UTC, datetime

import orjson
import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import OperationalError

from ecsemu.actions import all_actions
from ecsemu.config import Config
from ecsemu.emulator import Emulator
from ecsemu.gateway import handle
from ecsemu.scheduler import DueWatch
from ecsemu.store import Database
from ecsemu.store.schema import transitions
from ecsemu.wire import signing
from ecsemu.wire.request import build_request

# What a read needs besides RegionId to answer 200.
READ_PARAMS = {
    "DescribeAvailableResource": {"DestinationResource": "Zone"},
    "DescribeImageSupportInstanceTypes": {"ImageId": "ubuntu_22_04_x64_20G_alibase_20240926.vhd"},
    "DescribeImageFromFamily": {"ImageFamily": "acs:ubuntu_22_04_x64"},
    "ListTagResources": {"ResourceType": "instance", "ResourceId.1": "i-none"},
}

# The status an action answers for a resource that is not there, where it is not 404.
NOT_THERE = {"DescribeTaskAttribute": 400}   # InvalidTaskId.NotFound is a 400 in its doc


def call(emulator, action, **params):
    full = {"Action": action, "Version": "2014-05-26", "Format": "JSON", "AccessKeyId": "testid",
            "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": os.urandom(16).hex(),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), **params}
    full["Signature"] = signing.v1_signature("testsecret", signing.v1_string_to_sign("GET", full))
    query = "&".join(f"{signing.percent_encode(k)}={signing.percent_encode(v)}" for k, v in full.items())
    response, _ = handle(emulator, build_request("GET", "/", query.encode(), [(b"host", b"127.0.0.1")], b""))
    return response.status, orjson.loads(response.body)


@pytest.fixture
def emulator(tmp_path):
    emulator = Emulator(Config(data_dir=tmp_path, transitions="instant"))
    yield emulator
    emulator.close()


def test_a_read_only_transaction_refuses_writes_and_a_write_one_takes_them(tmp_path):
    db = Database.open(path=tmp_path / "ecsemu.db")
    row = {"resource": "disk", "resource_id": "d-1", "expect": "Creating", "target": "Available",
           "guard": {}, "assign": {}, "due_at": 1.0}
    for _ in range(2):  # the thread's connection fresh, then kept from the read before
        with pytest.raises(OperationalError, match="readonly"), db.transaction(read_only=True) as conn:
            conn.execute(insert(transitions).values(**row))
    with db.transaction() as conn:  # the same connection, writable again
        conn.execute(insert(transitions).values(**row))
    with db.transaction(read_only=True) as conn:
        assert conn.execute(select(transitions.c.resource_id)).scalars().all() == ["d-1"]
    db.dispose()


def test_read_actions_declare_it_and_open_read_only_units_of_work(emulator, monkeypatch):
    declared = {name for name, action in all_actions().items() if action.read_only}
    assert {"DescribeDisks", "DescribeInstances", "DescribeSnapshots", "DescribeImages", "DescribeKeyPairs",
            "DescribeSecurityGroups", "DescribeInstanceStatus"} <= declared
    assert not any(action.read_only for name, action in all_actions().items() if name.startswith("Create"))
    # The reads of one instance are asked about one; DescribeInstanceAutoRenewAttribute needs
    # an instance or a renewal status.
    _status, group = call(emulator, "CreateSecurityGroup", RegionId="cn-hangzhou")
    _status, vpcs = call(emulator, "DescribeVpcs", Version="2016-04-28", RegionId="cn-hangzhou", IsDefault="true")
    vswitch_id = vpcs["Vpcs"]["Vpc"][0]["VSwitchIds"]["VSwitchId"][0]   # the first zone's default vSwitch
    _status, made = call(emulator, "RunInstances", RegionId="cn-hangzhou", InstanceType="ecs.g7.large",
                         ImageId="ubuntu_22_04_x64_20G_alibase_20240926.vhd", SecurityGroupId=group["SecurityGroupId"],
                         VSwitchId=vswitch_id)
    instance_id = made["InstanceIdSets"]["InstanceIdSet"][0]
    about = {"DescribeInstanceAttribute": {"InstanceId": instance_id}, "DescribeUserData": {"InstanceId": instance_id},
             "DescribeInstanceAttachmentAttributes": {"InstanceIds": f'["{instance_id}"]'},
             "DescribeInstanceAutoRenewAttribute": {"RenewalStatus": "AutoRenewal"},
             "DescribeInstanceRamRole": {"InstanceIds": f'["{instance_id}"]'}}
    opened = []
    real = emulator.unit_of_work

    def spy(*, read_only=False):
        opened.append(read_only)
        return real(read_only=read_only)

    monkeypatch.setattr(emulator, "unit_of_work", spy)
    for name in sorted(declared):
        # An action that names one resource (SecurityGroupId…) and is not asked about one made
        # above is asked about one not there.
        named = {param.wire_names()[0].replace(".N", ".1"): "none" for param in all_actions()[name].params
                 if param.required and name not in about and name not in READ_PARAMS}
        status, body = call(emulator, name, **{**named, "RegionId": "cn-hangzhou", **READ_PARAMS.get(name, {}),
                                               **about.get(name, {})})
        assert status == (NOT_THERE.get(name, 404) if len(named) > 1 else 200), (name, body)
    assert opened and all(opened)


def test_in_instant_mode_the_next_read_sees_a_change_complete(emulator):
    status, body = call(emulator, "DescribeDisks", RegionId="cn-hangzhou")  # the due time is now known
    assert status == 200 and body["TotalCount"] == 0
    status, created = call(emulator, "CreateDisk", RegionId="cn-hangzhou", ZoneId="cn-hangzhou-b",
                           DiskCategory="cloud_essd", Size="20")
    assert status == 200, created
    status, body = call(emulator, "DescribeDisks", RegionId="cn-hangzhou", DiskIds=f'["{created["DiskId"]}"]')
    assert [disk["Status"] for disk in body["Disks"]["Disk"]] == ["Available"]


def test_what_another_process_schedules_is_applied_within_the_recheck(emulator, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("ecsemu.scheduler.time.monotonic", lambda: clock[0])
    _status, created = call(emulator, "CreateDisk", RegionId="cn-hangzhou", ZoneId="cn-hangzhou-b",
                            DiskCategory="cloud_essd", Size="20")
    disk_id = created["DiskId"]

    def status_of_disk():
        _, body = call(emulator, "DescribeDisks", RegionId="cn-hangzhou", DiskIds=f'["{disk_id}"]')
        return body["Disks"]["Disk"][0]["Status"]

    assert status_of_disk() == "Available"  # and nothing due is now known
    # Another process (its own connection) schedules a move due now.
    other = Database.open(path=emulator.config.database_path)
    with other.transaction() as conn:
        conn.execute(insert(transitions).values(resource="disk", resource_id=disk_id, expect="Available",
                                                target="Attaching", guard={}, assign={}, due_at=0.0))
    other.dispose()
    clock[0] += 0.1  # within the recheck: answered from memory
    assert status_of_disk() == "Available"
    clock[0] += 1.0  # past it: the database is asked again
    assert status_of_disk() == "Attaching"


def test_the_due_watch_asks_when_unknown_due_stale_or_changed(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("ecsemu.scheduler.time.monotonic", lambda: clock[0])
    watch = DueWatch(recheck=0.5)
    assert watch.must_ask(now=10.0)                 # nothing known yet
    watch.learned(watch.version(), 20.0, asked_at=clock[0])
    assert not watch.must_ask(now=10.0)
    assert watch.must_ask(now=20.0)                 # its time has come
    clock[0] += 0.6
    assert watch.must_ask(now=10.0)                 # too old: other processes may have scheduled
    watch.learned(watch.version(), None, asked_at=clock[0])
    assert not watch.must_ask(now=1e12)             # nothing scheduled at all
    version = watch.version()
    watch.forget()                                  # a write while the database was asked
    watch.learned(version, None, asked_at=clock[0])
    assert watch.must_ask(now=10.0)                 # that answer is dropped
