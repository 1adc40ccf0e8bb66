"""Bad input never breaks the emulator: every action, fed random values for its declared
parameters (and some it does not declare), answers success or a well-formed ECS error
below 500, never InternalError, and a refused call changes nothing. Values are drawn
mostly from what the parameter accepts (its enum, real resource IDs of a small world) so
that calls reach deep into the handlers, with odd values mixed in. Bounded: fixed seed
and count."""

import json
import random

import pytest

from ecsemu.actions import all_actions
from ecsemu.actions.params import Kind, Type
from ecsemu.config import Config
from ecsemu.emulator import Emulator
from ecsemu.gateway import handle
from ecsemu.store.schema import metadata, signature_nonces
from ecsemu.wire.request import build_request
from tests.rawhttp import encode, v1_params

ROUNDS = 60
ODD = ["", "x", "-1", "0", "99999999999999999999", "1.5", "[]", '["a"]', "{}", "[1, 2", "é€𝄞", "a" * 300,
       "null", "*", "http://x", "True"]
GOOD = {"RegionId": ["cn-hangzhou"], "ZoneId": ["cn-hangzhou-b", "cn-hangzhou-g"],
        "ImageId": ["ubuntu_22_04_x64_20G_alibase_20240926.vhd", "win2022_21H2_x64_dtc_en-us_40G_alibase_20240916.vhd"],
        "InstanceType": ["ecs.g7.large"], "Password": ["Abcd1234!", "weak"], "Size": ["20", "40", "2000"],
        "NewSize": ["50", "100"], "DiskCategory": ["cloud_essd", "cloud"], "Category": ["cloud_essd", "all"]}


def call(emulator, action, **params):
    query = encode(v1_params(action, **params)).encode()
    response, outcome = handle(emulator, build_request("GET", "/", query, [(b"host", b"127.0.0.1")], b""))
    return response, outcome, json.loads(response.body)


@pytest.fixture(scope="module")
def world():
    """An emulator with one of everything, and the IDs to aim at."""
    emulator = Emulator(Config(in_memory=True, transitions="instant"))
    group = call(emulator, "CreateSecurityGroup", RegionId="cn-hangzhou")[2]["SecurityGroupId"]
    default_vpc = call(emulator, "DescribeVpcs", Version="2016-04-28", RegionId="cn-hangzhou", IsDefault="true")[2]
    vswitch = default_vpc["Vpcs"]["Vpc"][0]["VSwitchIds"]["VSwitchId"][0]   # the first zone's default vSwitch
    ids = {"SecurityGroupId": [group]}
    for stop in (False, True):
        body = call(emulator, "RunInstances", RegionId="cn-hangzhou", SecurityGroupId=group, VSwitchId=vswitch,
                    InstanceType="ecs.g7.large", ImageId=GOOD["ImageId"][0], **{"DataDisk.1.Size": "20"})[2]
        instance_id = body["InstanceIdSets"]["InstanceIdSet"][0]
        ids.setdefault("InstanceId", []).append(instance_id)
        if stop:
            call(emulator, "StopInstance", InstanceId=instance_id)
    disks = call(emulator, "DescribeDisks", RegionId="cn-hangzhou", PageSize="50")[2]["Disks"]["Disk"]
    ids["DiskId"] = [d["DiskId"] for d in disks]
    ids["SnapshotId"] = [call(emulator, "CreateSnapshot", DiskId=ids["DiskId"][0])[2]["SnapshotId"]]
    ids["ImageId"] = GOOD["ImageId"] + [call(emulator, "CreateImage", RegionId="cn-hangzhou",
                                             SnapshotId=ids["SnapshotId"][0])[2].get("ImageId", "m-x")]
    call(emulator, "CreateKeyPair", RegionId="cn-hangzhou", KeyPairName="fuzz-kp")
    ids["KeyPairName"] = ["fuzz-kp"]
    yield emulator, ids
    emulator.close()


def draws(param, ids, rng, prefix=""):
    """(wire name, value) pairs for one declared parameter."""
    if param.kind in (Kind.OBJECT, Kind.OBJECT_LIST):
        inner = f"{prefix}{param.name}." + ("1." if param.kind is Kind.OBJECT_LIST else "")
        for field in param.fields:
            if rng.random() < 0.5:
                yield from draws(field, ids, rng, inner)
        return
    name = f"{prefix}{param.name}" + (".1" if param.kind is Kind.LIST else "")
    if rng.random() < 0.15:
        value = rng.choice(ODD)
    elif param.name in ids or param.name.rstrip("s") in ids:
        pool = ids.get(param.name) or ids[param.name.rstrip("s")]
        value = json.dumps([rng.choice(pool)]) if param.kind is Kind.JSON_ARRAY else rng.choice(pool)
    elif param.name in GOOD:
        value = rng.choice(GOOD[param.name])
    elif param.enum:
        value = rng.choice(param.enum)
    elif param.type is Type.BOOLEAN:
        value = rng.choice(["true", "false"])
    elif param.type in (Type.INTEGER, Type.LONG):
        value = str(rng.choice([1, 2, 10, 50, 100]))
    else:
        value = rng.choice(["fuzz-name", "a-description", "x"])
    yield name, value


def state(emulator) -> list:
    """Every row of every table but the nonces (every signed call takes one): what a refused
    call must leave as it was."""
    with emulator.db.transaction() as conn:
        return [sorted(map(repr, conn.execute(table.select()).all())) for table in metadata.sorted_tables
                if table is not signature_nonces]


@pytest.mark.parametrize("name", sorted(all_actions()))
def test_random_input_gets_an_ecs_answer(world, name):
    emulator, ids = world
    rng = random.Random(name)
    action = emulator.actions[name]
    for _ in range(ROUNDS):
        params = dict(pair for param in action.params if rng.random() < 0.7 for pair in draws(param, ids, rng))
        if rng.random() < 0.2:
            params["Unknown.Thing"] = "1"
        emulator.apply_due()  # what earlier calls made due happens anyway, before any call
        before = state(emulator)
        response, outcome, body = call(emulator, name, **params)
        assert response.status < 500, (params, body)
        if response.status >= 400:
            assert set(body) == {"RequestId", "HostId", "Code", "Message", "Recommend"}
            assert body["Code"] == outcome.code
            assert state(emulator) == before, (params, body)  # nothing half-applied
