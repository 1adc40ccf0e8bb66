"""ClientToken idempotency (issue 14): a call sent again with its token answers as the first
did and makes nothing more; other parameters with the token are refused; a repeat while the
first still runs waits for it, then answers LastTokenProcessing; per account; kept across
restarts and shared by every process of one database."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_tea_util.models import RuntimeOptions
from aliyunsdkcore.acs_exception.exceptions import ServerException
from Tea.exceptions import TeaException

from ecsemu.config import Config
from ecsemu.idempotency import WAIT_SECONDS
from ecsemu.testing import EmulatorServer
from tests.ecsclient import REGION, ZONE, Ecs
from tests.scrape import scrape

CONCURRENT = 20


def new_token() -> str:
    return str(uuid.uuid4())


def disks_named(ecs: Ecs, name: str) -> list[str]:
    found = ecs("DescribeDisks", RegionId=REGION, DiskName=name, PageSize=100)["Disks"]["Disk"]
    return [disk["DiskId"] for disk in found]


def create_disks_at_once(clients: list[Ecs], name: str, token: str) -> list[str]:
    """CreateDisk sent by every client at the same moment with one token: each answer's
    DiskId (or error code)."""
    start = threading.Barrier(len(clients))

    def create(client: Ecs) -> str:
        start.wait()
        try:
            return client("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskName=name,
                          ClientToken=token)["DiskId"]
        except ServerException as exc:
            return exc.get_error_code()

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        return list(pool.map(create, clients))


def test_twenty_identical_creates_at_once_make_one_disk(ecs):
    clients = [Ecs(ecs.server) for _ in range(CONCURRENT)]
    answers = create_disks_at_once(clients, "together", new_token())
    assert len(set(answers)) == 1 and answers[0].startswith("d-"), answers
    assert disks_named(ecs, "together") == [answers[0]]


def test_twenty_identical_creates_on_two_processes_make_one_disk(two_servers):
    a, b = two_servers
    clients = [Ecs(a.server if n % 2 else b.server) for n in range(CONCURRENT)]
    answers = create_disks_at_once(clients, "shared", new_token())
    assert len(set(answers)) == 1 and answers[0].startswith("d-"), answers
    assert disks_named(a, "shared") == disks_named(b, "shared") == [answers[0]]


def test_the_tokens_stored_are_a_gauge_of_the_metrics(ecs):
    def stored() -> float:
        return scrape(ecs.server.url).total("ecsemu_client_tokens")

    before = stored()
    token = new_token()
    for _ in range(2):  # the same token twice: one stored
        ecs("CreateSecurityGroup", RegionId=REGION, SecurityGroupName="gauged", ClientToken=token)
    ecs("CreateSecurityGroup", RegionId=REGION, SecurityGroupName="gauged-too", ClientToken=new_token())
    assert stored() == before + 2


def test_a_repeat_answers_as_the_first_with_a_request_id_of_its_own(ecs):
    token = new_token()
    first = ecs("CreateSecurityGroup", RegionId=REGION, SecurityGroupName="once", ClientToken=token)
    again = ecs("CreateSecurityGroup", RegionId=REGION, SecurityGroupName="once", ClientToken=token)
    assert again["SecurityGroupId"] == first["SecurityGroupId"]
    assert again["RequestId"] != first["RequestId"]
    groups = ecs("DescribeSecurityGroups", RegionId=REGION, SecurityGroupName="once")["SecurityGroups"]
    assert [g["SecurityGroupId"] for g in groups["SecurityGroup"]] == [first["SecurityGroupId"]]


def test_other_parameters_with_a_used_token_are_refused_through_both_sdks(ecs):
    token = new_token()
    disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskName="mismatch",
                  ClientToken=token)["DiskId"]
    assert ecs.error("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=30, DiskName="mismatch",
                     ClientToken=token) == ("IdempotentParameterMismatch", 400)
    with pytest.raises(TeaException) as raised:
        ecs.tea().create_disk_with_options(ecs_models.CreateDiskRequest(
            region_id=REGION, zone_id=ZONE, size=40, disk_name="mismatch", client_token=token), RuntimeOptions())
    assert (raised.value.code, raised.value.status_code) == ("IdempotentParameterMismatch", 400)
    # Another action is another request: the token is the account's, whatever the action.
    assert ecs.error("CreateSnapshot", DiskId=disk_id, ClientToken=token) == ("IdempotentParameterMismatch", 403)
    assert disks_named(ecs, "mismatch") == [disk_id]


def test_each_action_answers_its_own_mismatch_code(ecs):
    token = new_token()
    ecs("CreateSecurityGroup", RegionId=REGION, ClientToken=token)
    assert ecs.error("CreateImage", RegionId=REGION, SnapshotId="s-none", ClientToken=token) == \
        ("IdempotenceParamNotMatch", 400)


def test_the_tea_sdk_replays_what_the_old_sdk_made(ecs):
    """The same request however it is sent (the old SDK's query string or tea's form body,
    each with its own signature, nonce and timestamp) is the same request."""
    token = new_token()
    disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskName="both", ClientToken=token)["DiskId"]
    again = ecs.tea().create_disk_with_options(ecs_models.CreateDiskRequest(
        region_id=REGION, zone_id=ZONE, size=20, disk_name="both", client_token=token), RuntimeOptions()).body
    assert again.disk_id == disk_id


def test_another_accounts_same_token_is_another_token(ecs, other):
    token = new_token()
    mine = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskName="isolated", ClientToken=token)["DiskId"]
    theirs = other("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=30, DiskName="isolated",
                   ClientToken=token)["DiskId"]
    assert theirs != mine
    assert disks_named(ecs, "isolated") == [mine] and disks_named(other, "isolated") == [theirs]


@pytest.mark.parametrize("token", ["x" * 65, "jeton-\u00e9t\u00e9", "tab\there"])
def test_an_invalid_token_is_refused(ecs, token):
    assert ecs.error("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskName="refused",
                     ClientToken=token) == ("InvalidClientToken.ValueNotSupported", 400)
    assert disks_named(ecs, "refused") == []


def test_a_call_that_failed_runs_again_with_its_token(ecs):
    """It changed nothing: fixed and sent again with the same token, it succeeds."""
    token = new_token()
    assert ecs.error("CreateDisk", RegionId=REGION, ZoneId="cn-hangzhou-nowhere", Size=20, DiskName="fixed",
                     ClientToken=token)[0] == "InvalidZoneId.NotFound"
    disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskName="fixed", ClientToken=token)["DiskId"]
    assert disks_named(ecs, "fixed") == [disk_id]


def test_a_token_is_kept_across_a_restart(tmp_path):
    config = Config(transitions="instant", data_dir=tmp_path / "data")
    token = new_token()
    with EmulatorServer(config) as server:
        disk_id = Ecs(server)("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, ClientToken=token)["DiskId"]
    with EmulatorServer(config) as server:
        ecs = Ecs(server)
        assert ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, ClientToken=token)["DiskId"] == disk_id
        assert ecs.error("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=30,
                         ClientToken=token) == ("IdempotentParameterMismatch", 400)
        assert ecs("DescribeDisks", RegionId=REGION)["TotalCount"] == 1


# --- a repeat while the first call still runs ------------------------------------------------
# The first CreateDisk is held, for real, by a lock another PostgreSQL session takes on the
# disks table: its token is claimed, its change waits. A repeat sent meanwhile waits
# WAIT_SECONDS for it, then answers LastTokenProcessing.

@pytest.fixture(scope="module")
def held(postgres):
    url = postgres.new_database()
    with EmulatorServer(Config(transitions="instant", database_url=url)) as server:
        yield Ecs(server), url


def _while_a_first_create_is_held(held, token: str, repeat):
    """Starts CreateDisk with ``token``, holds it, runs ``repeat()`` meanwhile; returns
    what ``repeat`` did and the first call's DiskId once released."""
    ecs, url = held
    first: dict = {}
    with psycopg.connect(url) as lock:
        lock.execute("LOCK TABLE disks IN ACCESS EXCLUSIVE MODE")
        caller = threading.Thread(target=lambda: first.update(ecs(
            "CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskName="held", ClientToken=token)))
        caller.start()
        with psycopg.connect(url, autocommit=True) as look:
            ecs.wait(lambda: look.execute("SELECT state FROM client_tokens WHERE token = %s",
                                          (token,)).fetchone(), ("processing",))
        started = time.monotonic()
        outcome = repeat()
        waited = time.monotonic() - started
        lock.rollback()   # releases the disks table: the first call goes on
    caller.join(timeout=30)
    assert waited >= WAIT_SECONDS
    return outcome, first["DiskId"]


def test_a_repeat_while_the_first_runs_answers_last_token_processing_old_sdk(held):
    ecs, _ = held
    token = new_token()
    outcome, disk_id = _while_a_first_create_is_held(held, token, lambda: ecs.error(
        "CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskName="held", ClientToken=token))
    assert outcome == ("LastTokenProcessing", 403)
    assert ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskName="held",
               ClientToken=token)["DiskId"] == disk_id


def test_a_repeat_while_the_first_runs_answers_last_token_processing_tea_sdk(held):
    ecs, _ = held
    token = new_token()
    request = ecs_models.CreateDiskRequest(region_id=REGION, zone_id=ZONE, size=20, disk_name="held",
                                           client_token=token)

    def repeat():
        with pytest.raises(TeaException) as raised:
            ecs.tea().create_disk_with_options(request, RuntimeOptions())
        return raised.value.code, raised.value.status_code

    outcome, disk_id = _while_a_first_create_is_held(held, token, repeat)
    assert outcome == ("LastTokenProcessing", 403)
    assert ecs.tea().create_disk_with_options(request, RuntimeOptions()).body.disk_id == disk_id


def test_the_access_log_says_what_became_of_each_token(ecs, caplog):
    token = new_token()
    params = dict(RegionId=REGION, ZoneId=ZONE, Size=20, DiskName="logged", ClientToken=token)
    with caplog.at_level(logging.INFO, logger="ecsemu.access"):
        ecs("CreateDisk", **params)
        ecs("CreateDisk", **params)
        ecs.error("CreateDisk", **{**params, "Size": 30})
        ecs("DescribeRegions")

        def logged():   # a line is written once its answer is sent
            return [json.loads(record.getMessage()) for record in caplog.records if record.name == "ecsemu.access"]

        ecs.wait(lambda: len(logged()), 4)
    lines = logged()
    assert [(line["Action"], line.get("Idempotency")) for line in lines] == [
        ("CreateDisk", "first"), ("CreateDisk", "replayed"), ("CreateDisk", "mismatch"), ("DescribeRegions", None)]


def test_the_vpc_product_keeps_its_tokens_too(vpc):
    token = new_token()
    first = vpc("CreateVpc", RegionId=REGION, CidrBlock="10.0.0.0/16", VpcName="tokened", ClientToken=token)
    again = vpc("CreateVpc", RegionId=REGION, CidrBlock="10.0.0.0/16", VpcName="tokened", ClientToken=token)
    assert again["VpcId"] == first["VpcId"]
    assert vpc.error("CreateVpc", RegionId=REGION, CidrBlock="10.1.0.0/16", VpcName="tokened",
                     ClientToken=token) == ("IdempotentParameterMismatch", 400)
    found = vpc("DescribeVpcs", RegionId=REGION, VpcName="tokened")["Vpcs"]["Vpc"]
    assert [v["VpcId"] for v in found] == [first["VpcId"]]


def test_a_change_sent_again_is_not_made_twice(ecs):
    """ResizeDisk sent again after it succeeded answers as it did, instead of refusing a size
    the disk now has."""
    disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskName="grown")["DiskId"]
    ecs.wait(lambda: ecs.disk(disk_id)["Status"], "Available")
    token = new_token()
    first = ecs("ResizeDisk", DiskId=disk_id, NewSize=30, ClientToken=token)
    again = ecs("ResizeDisk", DiskId=disk_id, NewSize=30, ClientToken=token)
    assert {k: v for k, v in again.items() if k != "RequestId"} == {k: v for k, v in first.items() if k != "RequestId"}
    # Without the token it runs, and 30 GiB is no growth any more.
    assert ecs.error("ResizeDisk", DiskId=disk_id, NewSize=30)[0] == "InvalidDiskSize"
    assert ecs.disk(disk_id)["Size"] == 30
