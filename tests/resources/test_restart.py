"""State survives a restart, and a transition interrupted by a crash completes afterwards,
on each store."""

import time

import pytest

from tests.ecsclient import REGION, ZONE, Ecs
from tests.processes import serve


@pytest.fixture(params=["sqlite", "postgresql"])
def store_args(request, tmp_path):
    if request.param == "sqlite":
        return ["--data-dir", str(tmp_path / "data")]
    return ["--database-url", request.getfixturevalue("postgres").new_database()]


def test_state_and_transitions_survive_kill_and_restart(store_args, tmp_path):
    args = [*store_args, "--transitions", "realistic", "--delay", "instance_pending=0.2",
            "--delay", "instance_starting=0.2", "--delay", "instance_stopping=2", "--log-level", "warning"]
    with serve(tmp_path, *args) as first:
        ecs = Ecs(first)
        instance_id = ecs.run_instance()
        ecs.wait(lambda: ecs.instance(instance_id)["Status"], "Running")
        disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
        ecs("StopInstance", InstanceId=instance_id)
        assert ecs.instance(instance_id)["Status"] == "Stopping"
        stopped_at = time.monotonic()
        first.kill()  # mid-transition: Stopping, due in 2 s

    time.sleep(max(0.0, 2.2 - (time.monotonic() - stopped_at)))
    with serve(tmp_path, *args) as second:
        ecs = Ecs(second)
        instance = ecs.instance(instance_id)
        assert instance["Status"] == "Stopped"  # completed by the restarted server
        assert ecs.disk(disk_id)["Status"] == "Available"
        assert {d["Type"] for d in ecs.disks_of(instance_id)} == {"system"}
        ecs("StartInstance", InstanceId=instance_id)
        ecs.wait(lambda: ecs.instance(instance_id)["Status"], "Running")


def test_in_memory_keeps_nothing(tmp_path):
    with serve(tmp_path, "--in-memory", "--transitions", "instant") as first:
        group = Ecs(first).security_group()
    with serve(tmp_path, "--in-memory", "--transitions", "instant") as second:
        found = Ecs(second)("DescribeSecurityGroups", RegionId=REGION)["SecurityGroups"]["SecurityGroup"]
        assert group not in {g["SecurityGroupId"] for g in found}
