"""Racing requests on two server processes that share one PostgreSQL database: for each
conflict exactly one request wins, the others get the real error, and nothing breaks."""

from concurrent.futures import ThreadPoolExecutor

from aliyunsdkcore.acs_exception.exceptions import ServerException

from tests.ecsclient import REGION, ZONE

RACERS = 24


def race(clients, calls):
    """Fires every (client, action, params) at once; returns the outcomes: "ok" or the
    error code with its status."""
    def attempt(call):
        client, action, params = call
        try:
            client(action, **params)
            return "ok"
        except ServerException as exc:
            return f"{exc.get_error_code()} {exc.get_http_status()}"
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(attempt, calls))


def test_one_disk_attached_to_many_instances_at_once(two_servers):
    a, b = two_servers
    instances = [a.run_instance() for _ in range(4)]
    disk_id = a("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
    calls = [((a, b)[n % 2], "AttachDisk", {"DiskId": disk_id, "InstanceId": instances[n % 4]})
             for n in range(RACERS)]
    outcomes = race(two_servers, calls)
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) - {"ok"} == {"IncorrectDiskStatus 403"}
    disk = b.disk(disk_id)
    assert disk["Status"] == "In_use" and disk["InstanceId"] in instances
    attached = [len(a.disks_of(i)) for i in instances]
    assert sorted(attached) == [1, 1, 1, 2]  # the disk is on exactly one instance


def test_one_instance_stopped_many_times_at_once(two_servers):
    a, b = two_servers
    instance_id = a.run_instance()
    calls = [((a, b)[n % 2], "StopInstance", {"InstanceId": instance_id}) for n in range(RACERS)]
    outcomes = race(two_servers, calls)
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) - {"ok"} == {"IncorrectInstanceStatus 403"}
    assert b.instance(instance_id)["Status"] == "Stopped"


def test_many_disks_racing_for_the_last_device_slots(two_servers):
    a, b = two_servers
    instance_id = a.run_instance(**{f"DataDisk.{n}.Size": 20 for n in range(1, 15)})  # 14 of 16 slots
    disks = [a("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"] for _ in range(8)]
    calls = [((a, b)[n % 2], "AttachDisk", {"DiskId": disk_id, "InstanceId": instance_id})
             for n, disk_id in enumerate(disks)]
    outcomes = race(two_servers, calls)
    assert outcomes.count("ok") == 2, outcomes
    assert set(outcomes) - {"ok"} <= {"InstanceDiskLimitExceeded 403"}
    devices = [d["Device"] for d in a.disks_of(instance_id)]
    assert len(devices) == 17 and len(set(devices)) == 17


def test_one_private_address_chosen_by_many_enis_at_once(two_servers):
    a, b = two_servers
    instance = a.instance(a.run_instance())
    vswitch_id, group_id = instance["VpcAttributes"]["VSwitchId"], instance["SecurityGroupIds"]["SecurityGroupId"][0]
    address = "172.16.7.7"
    calls = [((a, b)[n % 2], "CreateNetworkInterface",
              {"RegionId": REGION, "VSwitchId": vswitch_id, "SecurityGroupId": group_id, "PrimaryIpAddress": address})
             for n in range(RACERS)]
    outcomes = race(two_servers, calls)
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) - {"ok"} == {"InvalidPrivateIpAddress.Duplicated 400"}


def test_many_enis_racing_for_an_instances_last_eni_slot(two_servers):
    a, b = two_servers
    instance = a.instance(a.run_instance())   # ecs.g7.large: three ENIs, the primary one among them
    vswitch_id, group_id = instance["VpcAttributes"]["VSwitchId"], instance["SecurityGroupIds"]["SecurityGroupId"][0]
    enis = [a("CreateNetworkInterface", RegionId=REGION, VSwitchId=vswitch_id, SecurityGroupId=group_id)[
        "NetworkInterfaceId"] for _ in range(6)]
    calls = [((a, b)[n % 2], "AttachNetworkInterface",
              {"RegionId": REGION, "NetworkInterfaceId": eni_id, "InstanceId": instance["InstanceId"]})
             for n, eni_id in enumerate(enis)]
    outcomes = race(two_servers, calls)
    assert outcomes.count("ok") == 2, outcomes
    assert set(outcomes) - {"ok"} == {"EniPerInstanceLimitExceeded 403"}
