"""Racing tag changes on two server processes that share one PostgreSQL database: the
20-tag quota holds, and setting one key many times at once leaves one value, no error."""

from concurrent.futures import ThreadPoolExecutor

from aliyunsdkcore.acs_exception.exceptions import ServerException

from tests.ecsclient import REGION, flat

RACERS = 24


def race(calls) -> list[str]:
    def attempt(call):
        client, params = call
        try:
            client("TagResources", RegionId=REGION, ResourceType="securitygroup", **params)
            return "ok"
        except ServerException as exc:
            return f"{exc.get_error_code()} {exc.get_http_status()}"
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(attempt, calls))


def tags_of(client, group_id) -> dict[str, str]:
    (found,) = client("DescribeSecurityGroups", RegionId=REGION, SecurityGroupId=group_id)["SecurityGroups"][
        "SecurityGroup"]
    return {t["TagKey"]: t["TagValue"] for t in found["Tags"]["Tag"]}


def test_the_quota_holds_against_racing_calls(two_servers):
    a, b = two_servers
    group_id = a("CreateSecurityGroup", RegionId=REGION,
                 **flat("Tag", [{"Key": f"k{n}", "Value": "v"} for n in range(18)]))["SecurityGroupId"]
    outcomes = race([((a, b)[n % 2], {"ResourceId.1": group_id, "Tag.1.Key": f"new{n}", "Tag.1.Value": "v"})
                     for n in range(RACERS)])
    assert outcomes.count("ok") == 2, outcomes
    assert set(outcomes) - {"ok"} == {"OperationDenied.QuotaExceed 400"}
    assert len(tags_of(b, group_id)) == 20


def test_one_key_set_many_times_at_once(two_servers):
    a, b = two_servers
    group_id = a("CreateSecurityGroup", RegionId=REGION)["SecurityGroupId"]
    outcomes = race([((a, b)[n % 2], {"ResourceId.1": group_id, "Tag.1.Key": "same", "Tag.1.Value": str(n)})
                     for n in range(RACERS)])
    assert outcomes == ["ok"] * RACERS
    assert list(tags_of(a, group_id)) == ["same"]
