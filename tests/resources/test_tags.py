"""Tags and resource groups of every resource kind, through the official SDKs, on each
store: TagResources, UntagResources, ListTagResources, DescribeTags, JoinResourceGroup,
the tags and groups of the Create* actions, the Describe actions' views and filters, the
limits, and the Terraform provider's update sequence (terraform-calls.md 2.1, 2.2)."""

import json
from itertools import count

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkecs.request.v20140526.DescribeTagsRequest import DescribeTagsRequest
from aliyunsdkecs.request.v20140526.JoinResourceGroupRequest import JoinResourceGroupRequest
from aliyunsdkecs.request.v20140526.TagResourcesRequest import TagResourcesRequest
from aliyunsdkecs.request.v20140526.UntagResourcesRequest import UntagResourcesRequest

from tests.ecsclient import REGION, ZONE, flat

KINDS = ("instance", "disk", "snapshot", "image", "securitygroup", "keypair")
# Each kind's Describe action: (action, list wrapper, item, the field ResourceId names).
LISTINGS = {
    "instance": ("DescribeInstances", "Instances", "Instance", "InstanceId"),
    "disk": ("DescribeDisks", "Disks", "Disk", "DiskId"),
    "snapshot": ("DescribeSnapshots", "Snapshots", "Snapshot", "SnapshotId"),
    "image": ("DescribeImages", "Images", "Image", "ImageId"),
    "securitygroup": ("DescribeSecurityGroups", "SecurityGroups", "SecurityGroup", "SecurityGroupId"),
    "keypair": ("DescribeKeyPairs", "KeyPairs", "KeyPair", "KeyPairName"),
}
OTHER_REGION = "cn-shanghai"
_serial = count()


def unique(prefix: str) -> str:
    return f"{prefix}{next(_serial)}"


def group() -> str:
    return f"rg-acfm{next(_serial):08d}"


@pytest.fixture(scope="module")
def source(ecs) -> dict:
    """A running instance and an accomplished snapshot of its system disk (what snapshots
    and images are made from)."""
    instance_id = ecs.run_instance()
    system = next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")
    return {"disk": system, "snapshot": ecs("CreateSnapshot", DiskId=system)["SnapshotId"]}


def make(ecs, source, kind: str, **params) -> str:
    """A new resource of the kind; its ResourceId."""
    if kind == "instance":
        return ecs.run_instance(**params)
    if kind == "disk":
        return ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, **params)["DiskId"]
    if kind == "snapshot":
        return ecs("CreateSnapshot", DiskId=source["disk"], **params)["SnapshotId"]
    if kind == "image":
        return ecs("CreateImage", RegionId=REGION, SnapshotId=source["snapshot"], ImageName=unique("image-"),
                   **params)["ImageId"]
    if kind == "securitygroup":
        return ecs("CreateSecurityGroup", RegionId=REGION, **params)["SecurityGroupId"]
    name = unique("key-")
    ecs("CreateKeyPair", RegionId=REGION, KeyPairName=name, **params)
    return name


def listed(ecs, kind: str, **filters) -> dict[str, dict]:
    """The kind's Describe answer, filtered: ResourceId -> view."""
    action, wrapper, item, id_field = LISTINGS[kind]
    extra = {"ImageOwnerAlias": "self"} if kind == "image" else {}
    body = ecs(action, RegionId=REGION, PageSize=50, **extra, **filters)
    return {view[id_field]: view for view in body[wrapper][item]}


def view(ecs, kind: str, resource_id: str) -> dict:
    return listed(ecs, kind)[resource_id]


def tags_of(ecs, kind: str, resource_id: str) -> dict[str, str]:
    return {t["TagKey"]: t["TagValue"] for t in view(ecs, kind, resource_id)["Tags"]["Tag"]}


def tag(ecs, kind: str, ids: list[str], tags: dict[str, str], **params) -> dict:
    return ecs("TagResources", RegionId=REGION, ResourceType=kind, **flat_ids(ids),
               **flat("Tag", [{"Key": k, "Value": v} for k, v in tags.items()]), **params)


def flat_ids(ids: list[str], name: str = "ResourceId") -> dict[str, str]:
    return {f"{name}.{n}": resource_id for n, resource_id in enumerate(ids, start=1)}


def listing_entries(ecs, kind: str, **params) -> list[tuple[str, str, str]]:
    body = ecs("ListTagResources", RegionId=REGION, ResourceType=kind, **params)
    assert all(entry["ResourceType"] == kind for entry in body["TagResources"]["TagResource"])
    return [(e["ResourceId"], e["TagKey"], e["TagValue"]) for e in body["TagResources"]["TagResource"]]


# --- tag, list, untag: every kind ------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_tag_list_and_untag(ecs, source, kind):
    resource = make(ecs, source, kind)
    assert tags_of(ecs, kind, resource) == {}
    assert tag(ecs, kind, [resource], {"team": "db", "env": "test", "empty": ""}).keys() == {"RequestId"}
    assert tags_of(ecs, kind, resource) == {"team": "db", "env": "test", "empty": ""}
    assert listing_entries(ecs, kind, **flat_ids([resource])) == [
        (resource, "empty", ""), (resource, "env", "test"), (resource, "team", "db")]

    tag(ecs, kind, [resource], {"team": "web"})                   # a held key takes the new value
    assert tags_of(ecs, kind, resource) == {"team": "web", "env": "test", "empty": ""}
    ecs("UntagResources", RegionId=REGION, ResourceType=kind, **flat_ids([resource]),
        **flat_ids(["env", "never-set"], "TagKey"))
    assert tags_of(ecs, kind, resource) == {"team": "web", "empty": ""}
    ecs("UntagResources", RegionId=REGION, ResourceType=kind, **flat_ids([resource]), All=True)
    assert tags_of(ecs, kind, resource) == {}
    assert listing_entries(ecs, kind, **flat_ids([resource])) == []


@pytest.mark.parametrize("kind", KINDS)
def test_tags_set_at_creation_are_the_same_tags(ecs, source, kind):
    resource = make(ecs, source, kind, **flat("Tag", [{"Key": "made", "Value": "at-create"}]))
    assert listing_entries(ecs, kind, **flat_ids([resource])) == [(resource, "made", "at-create")]
    ecs("UntagResources", RegionId=REGION, ResourceType=kind, **flat_ids([resource]), **{"TagKey.1": "made"})
    assert tags_of(ecs, kind, resource) == {}


def test_one_call_tags_many_resources_and_reads_the_type_in_any_case(ecs):
    groups = [ecs.security_group() for _ in range(3)]
    tag(ecs, "SecurityGroup", groups, {"tier": "many"})
    assert all(tags_of(ecs, "securitygroup", g) == {"tier": "many"} for g in groups)
    assert listing_entries(ecs, "securitygroup", **{"Tag.1.Key": "tier", "Tag.1.Value": "many"}) == sorted(
        (g, "tier", "many") for g in groups)


# --- filters by tag and by resource group, on every Describe ------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_describe_filters_by_tag_and_resource_group(ecs, source, kind):
    mark, first_group, second_group = unique("mark-"), group(), group()
    grouped = make(ecs, source, kind, ResourceGroupId=first_group, **flat("Tag", [{"Key": "mark", "Value": mark}]))
    plain = make(ecs, source, kind)
    assert view(ecs, kind, grouped)["ResourceGroupId"] == first_group
    assert view(ecs, kind, plain)["ResourceGroupId"] == ""        # in no group: nothing to diff against
    assert set(listed(ecs, kind, **{"Tag.1.Key": "mark", "Tag.1.Value": mark})) == {grouped}
    assert set(listed(ecs, kind, ResourceGroupId=first_group)) == {grouped}
    assert set(listed(ecs, kind, ResourceGroupId=group())) == set()

    ecs("JoinResourceGroup", RegionId=REGION, ResourceType=kind, ResourceId=plain, ResourceGroupId=first_group)
    assert set(listed(ecs, kind, ResourceGroupId=first_group)) == {grouped, plain}
    ecs("JoinResourceGroup", RegionId=REGION, ResourceType=kind, ResourceId=grouped, ResourceGroupId=second_group)
    assert set(listed(ecs, kind, ResourceGroupId=first_group)) == {plain}
    assert view(ecs, kind, grouped)["ResourceGroupId"] == second_group


def test_disks_made_with_an_instance_are_in_its_group_with_its_tags(ecs):
    chosen = group()
    instance_id = ecs.run_instance(ResourceGroupId=chosen, **{"DataDisk.1.Size": 20},
                                   **flat("Tag", [{"Key": "app", "Value": "shop"}]))
    made = ecs.disks_of(instance_id)
    assert len(made) == 2 and {d["ResourceGroupId"] for d in made} == {chosen}
    assert [d["Tags"]["Tag"] for d in made] == [[{"TagKey": "app", "TagValue": "shop"}]] * 2
    assert ecs.instance(instance_id)["ResourceGroupId"] == chosen
    untouched = ecs.run_instance()
    assert [d["Tags"]["Tag"] for d in ecs.disks_of(untouched)] == [[]]


# --- limits and bad input: a well-formed error and nothing changed ----------------------------

def test_twenty_tags_a_resource_all_or_nothing(ecs):
    full, empty = ecs.security_group(), ecs.security_group()
    tag(ecs, "securitygroup", [full], {f"k{n}": "v" for n in range(19)})
    assert ecs.error("TagResources", RegionId=REGION, ResourceType="securitygroup", **flat_ids([empty, full]),
                     **flat("Tag", [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])) \
        == ("OperationDenied.QuotaExceed", 400)
    assert len(tags_of(ecs, "securitygroup", full)) == 19 and tags_of(ecs, "securitygroup", empty) == {}
    tag(ecs, "securitygroup", [full, empty], {"k0": "new", "twentieth": "v"})   # a held key adds none
    assert len(tags_of(ecs, "securitygroup", full)) == 20 and tags_of(ecs, "securitygroup", full)["k0"] == "new"


def test_keys_and_values_as_the_real_service_checks_them(ecs):
    target = ecs.security_group()

    def answer(key, value="v"):
        try:
            tag(ecs, "securitygroup", [target], {key: value})
        except ServerException as exc:
            return exc.get_error_code(), exc.get_http_status()
        return "ok"

    for key in ("aliyun", "aliyunx", "acs:x", "k" * 129, "a http://x", "https://x"):
        assert answer(key) == ("InvalidTagKey.Malformed", 400), key
    for value in ("v" * 129, "see http://x"):
        assert answer("k", value) == ("InvalidTagValue.Malformed", 400), value
    assert tags_of(ecs, "securitygroup", target) == {}
    for key, value in (("k" * 128, "v" * 128), ("Aliyun-like", "aliyun"), ("acs", "acs:value"), ("k", "")):
        assert answer(key, value) == "ok", key
    assert ecs.error("TagResources", RegionId=REGION, ResourceType="securitygroup", **flat_ids([target]),
                     **flat("Tag", [{"Key": "same", "Value": "1"}, {"Key": "same", "Value": "2"}])) \
        == ("Duplicate.TagKey", 400)
    assert ecs.error("TagResources", RegionId=REGION, ResourceType="securitygroup", **flat_ids([target]),
                     **{"Tag.1.Value": "no key"}) == ("InvalidTagKey.Malformed", 400)


def test_counts_per_call(ecs):
    target = ecs.security_group()
    assert ecs.error("TagResources", RegionId=REGION, ResourceType="securitygroup", **flat_ids([target]),
                     **flat("Tag", [{"Key": f"k{n}", "Value": "v"} for n in range(21)])) \
        == ("NumberExceed.Tags", 400)
    assert ecs.error("TagResources", RegionId=REGION, ResourceType="securitygroup",
                     **flat_ids([target] * 51), **{"Tag.1.Key": "k"}) == ("NumberExceed.ResourceIds", 400)
    assert ecs.error("UntagResources", RegionId=REGION, ResourceType="securitygroup", **flat_ids([target]),
                     **flat_ids([f"k{n}" for n in range(21)], "TagKey")) == ("NumberExceed.Tags", 400)
    assert ecs.error("TagResources", RegionId=REGION, ResourceType="securitygroup", **flat_ids([target])) \
        == ("MissingParameter", 400)
    assert ecs.error("TagResources", RegionId=REGION, ResourceType="securitygroup", **{"Tag.1.Key": "k"}) \
        == ("MissingParameter", 400)
    assert ecs.error("UntagResources", RegionId=REGION, ResourceType="securitygroup", **flat_ids([target])) \
        == ("MissingParameter.Tags", 404)
    assert tags_of(ecs, "securitygroup", target) == {}


def test_unknown_resources_and_types(ecs, other):
    mine = ecs.security_group()
    elsewhere = ecs("CreateSecurityGroup", RegionId=OTHER_REGION)["SecurityGroupId"]
    theirs = other.security_group()
    for missing in ("sg-none", elsewhere, theirs):
        assert ecs.error("TagResources", RegionId=REGION, ResourceType="securitygroup",
                         **flat_ids([mine, missing]), **{"Tag.1.Key": "k"}) == ("InvalidResourceId.NotFound", 404)
        assert ecs.error("UntagResources", RegionId=REGION, ResourceType="securitygroup",
                         **flat_ids([missing]), All=True) == ("InvalidResourceId.NotFound", 404)
    assert tags_of(ecs, "securitygroup", mine) == {}
    assert ecs.error("TagResources", RegionId=REGION, ResourceType="instance", **flat_ids([mine]),
                     **{"Tag.1.Key": "k"}) == ("InvalidResourceId.NotFound", 404)      # not an instance
    assert ecs.error("TagResources", RegionId=REGION, ResourceType="volume", **flat_ids(["v-1"]),
                     **{"Tag.1.Key": "k"}) == ("InvalidResourceId.NotFound", 404)      # none held here
    for action in ("TagResources", "UntagResources", "ListTagResources"):
        assert ecs.error(action, RegionId=REGION, ResourceType="vm", **flat_ids([mine]), All=True,
                         **{"Tag.1.Key": "k"}) == ("InvalidResourceType.NotFound", 404)
    assert ecs.error("TagResources", RegionId="mars-1", ResourceType="securitygroup", **flat_ids([mine]),
                     **{"Tag.1.Key": "k"}) == ("InvalidRegionId.NotFound", 404)


# --- ListTagResources --------------------------------------------------------------------------

def test_list_pages_by_next_token_and_filters_by_tag(ecs):
    mark = unique("page-")
    holders = sorted(ecs.security_group() for _ in range(3))
    for holder in holders:
        tag(ecs, "securitygroup", [holder], {"mark": mark, **{f"k{n:02d}": str(n) for n in range(18)}})
    first = ecs("ListTagResources", RegionId=REGION, ResourceType="securitygroup", **flat_ids(holders))
    assert len(first["TagResources"]["TagResource"]) == 50 and first["NextToken"]
    second = ecs("ListTagResources", RegionId=REGION, ResourceType="securitygroup", **flat_ids(holders),
                 NextToken=first["NextToken"])
    assert second["NextToken"] == ""
    entries = [(e["ResourceId"], e["TagKey"]) for e in
               first["TagResources"]["TagResource"] + second["TagResources"]["TagResource"]]
    assert entries == [(h, k) for h in holders for k in sorted(["mark", *(f"k{n:02d}" for n in range(18))])]

    tag(ecs, "securitygroup", [holders[0]], {"only": "me"})
    assert {r for r, _, _ in listing_entries(ecs, "securitygroup", **{"Tag.1.Key": "mark", "Tag.1.Value": mark,
                                                                       "Tag.2.Key": "only"})} == {holders[0]}
    assert {r for r, _, _ in listing_entries(ecs, "securitygroup", **{"Tag.1.Key": "mark", "Tag.1.Value": mark}
                                             )} == set(holders)
    assert listing_entries(ecs, "securitygroup", **{"Tag.1.Key": "mark", "Tag.1.Value": "other"}) == []
    assert {r for r, _, _ in listing_entries(ecs, "securitygroup", **{
        "TagFilter.1.TagKey": "only", "TagFilter.1.TagValues.1": "me"})} == {holders[0]}
    assert ecs.error("ListTagResources", RegionId=REGION, ResourceType="securitygroup", **flat_ids(holders),
                     NextToken="not-a-token") == ("InvalidParameter", 400)
    assert ecs.error("ListTagResources", RegionId=REGION, ResourceType="securitygroup") \
        == ("MissingParameter.Tags", 404)


def test_footmark_asks_the_list_with_the_tags_it_means_to_set(ecs):
    """footmark lists a resource's tags with ResourceId.N and Tag.N together before it tags
    (footmark/ecs/connection.py tag_resources): only a resource holding all of them is listed."""
    instance_id = ecs.run_instance(**flat("Tag", [{"Key": "a", "Value": "1"}]))
    asked = {**flat_ids([instance_id]), **flat("Tag", [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])}
    assert listing_entries(ecs, "instance", **asked) == []
    tag(ecs, "instance", [instance_id], {"b": "2"})
    assert listing_entries(ecs, "instance", **asked) == [(instance_id, "a", "1"), (instance_id, "b", "2")]


# --- DescribeTags ------------------------------------------------------------------------------

def test_describe_tags_counts_each_type(ecs, other, source):
    mark = unique("shared-")
    instance_id = ecs.run_instance(**flat("Tag", [{"Key": "shared", "Value": mark}]))
    disk_id = make(ecs, source, "disk")
    pairs = [make(ecs, source, "keypair") for _ in range(2)]
    tag(ecs, "disk", [disk_id], {"shared": mark})
    tag(ecs, "keypair", pairs, {"shared": mark})
    found = ecs.send(_describe_tags(**{"Tag.1.Key": "shared", "Tag.1.Value": mark}))
    assert found["TotalCount"] == 1
    (entry,) = found["Tags"]["Tag"]
    assert (entry["TagKey"], entry["TagValue"]) == ("shared", mark)
    counts = entry["ResourceTypeCount"]
    # the instance's system disk carries its Tag.N too
    assert (counts["Instance"], counts["Disk"], counts["KeyPair"], counts["Image"]) == (1, 2, 2, 0)
    assert set(counts) == {"Instance", "Disk", "Volume", "Image", "Snapshot", "Securitygroup", "LaunchTemplate",
                           "Eni", "Ddh", "KeyPair", "SnapshotPolicy", "ReservedInstance"}
    assert ecs("DescribeTags", RegionId=REGION, ResourceType="disk", ResourceId=disk_id)["Tags"]["Tag"][0][
        "ResourceTypeCount"]["Disk"] == 1
    assert other("DescribeTags", RegionId=REGION, **{"Tag.1.Key": "shared"})["TotalCount"] == 0
    assert ecs("DescribeTags", RegionId=REGION, Category="System", **{"Tag.1.Key": "shared"})["TotalCount"] == 0
    assert ecs.error("DescribeTags", RegionId=REGION, ResourceType="vm") == ("InvalidResourceType.NotFound", 404)

    ecs("DeleteKeyPairs", RegionId=REGION, KeyPairNames=pairs)           # gone with their resources
    ecs("DeleteDisk", DiskId=disk_id)
    counts = ecs("DescribeTags", RegionId=REGION, **{"Tag.1.Key": "shared", "Tag.1.Value": mark})["Tags"]["Tag"][0][
        "ResourceTypeCount"]
    assert (counts["Instance"], counts["Disk"], counts["KeyPair"]) == (1, 1, 0)
    ecs("DeleteInstance", InstanceId=instance_id, Force=True)
    assert ecs("DescribeTags", RegionId=REGION, **{"Tag.1.Key": "shared", "Tag.1.Value": mark})["TotalCount"] == 0
    ecs("CreateKeyPair", RegionId=REGION, KeyPairName=pairs[0])          # the name again: a new pair, bare
    assert tags_of(ecs, "keypair", pairs[0]) == {} and view(ecs, "keypair", pairs[0])["ResourceGroupId"] == ""


def _describe_tags(**params) -> DescribeTagsRequest:
    request = DescribeTagsRequest()
    for name, value in params.items():
        request.add_query_param(name, value)
    return request


def test_images_data_source_reads_an_images_tags(ecs, source):
    """data alicloud_images: DescribeTags ResourceType=image, ResourceId=<id> per image (4.3)."""
    image_id = make(ecs, source, "image", **flat("Tag", [{"Key": "os", "Value": "linux"}]))
    found = ecs("DescribeTags", RegionId=REGION, ResourceType="image", ResourceId=image_id)
    assert [(t["TagKey"], t["TagValue"], t["ResourceTypeCount"]["Image"]) for t in found["Tags"]["Tag"]] \
        == [("os", "linux", 1)]


# --- JoinResourceGroup --------------------------------------------------------------------------

def test_join_resource_group_errors(ecs, other):
    target = ecs.security_group()
    join = {"RegionId": REGION, "ResourceType": "securitygroup", "ResourceId": target}
    assert ecs.error("JoinResourceGroup", **join) == ("MissingParameter", 403)
    assert ecs.error("JoinResourceGroup", **{**join, "ResourceId": None}, ResourceGroupId=group()) \
        == ("MissingParameter", 403)
    for bad in ("group-1", "rg-", "rg-UPPER", "rg-a_b"):
        assert ecs.error("JoinResourceGroup", **join, ResourceGroupId=bad) == ("InvalidResourceGroup.NotFound", 404)
    assert ecs.error("JoinResourceGroup", **{**join, "ResourceType": "SecurityGroup"}, ResourceGroupId=group()) \
        == ("InvalidResourceType.NotFound", 404)
    assert ecs.error("JoinResourceGroup", **{**join, "ResourceId": "sg-none"}, ResourceGroupId=group()) \
        == ("InvalidResourceId.NotFound", 404)
    assert other.error("JoinResourceGroup", **join, ResourceGroupId=group()) == ("InvalidResourceId.NotFound", 404)
    assert ecs.error("JoinResourceGroup", **{**join, "RegionId": OTHER_REGION}, ResourceGroupId=group()) \
        == ("InvalidResourceId.NotFound", 404)
    assert view(ecs, "securitygroup", target)["ResourceGroupId"] == ""


@pytest.mark.parametrize("kind", KINDS)
def test_a_create_with_an_unknown_group_makes_nothing(ecs, source, kind):
    before = set(listed(ecs, kind))
    with pytest.raises(ServerException) as raised:
        make(ecs, source, kind, ResourceGroupId="not-a-group")
    assert (raised.value.get_error_code(), raised.value.get_http_status()) == ("InvalidResourceGroup.NotFound", 404)
    assert set(listed(ecs, kind)) == before


# --- the Terraform provider's update sequence -----------------------------------------------------

def test_terraform_instance_tags_update_then_read(ecs):
    """alicloud_instance update (2.1): UntagResources for the keys dropped or changed, then
    TagResources with the whole new map (the Go SDK's typed requests, as the old Python SDK's
    request classes send them), then JoinResourceGroup; the next DescribeInstances shows it."""
    instance_id = ecs.run_instance(**flat("Tag", [{"Key": "Name", "Value": "web"}, {"Key": "old", "Value": "x"},
                                                  {"Key": "keep", "Value": "1"}]))
    untag = UntagResourcesRequest()
    untag.set_ResourceType("instance")
    untag.set_ResourceIds([instance_id])
    untag.set_TagKeys(["Name", "old"])
    ecs.send(untag)
    retag = TagResourcesRequest()
    retag.set_ResourceType("instance")
    retag.set_ResourceIds([instance_id])
    retag.set_Tags([{"Key": "Name", "Value": "api"}, {"Key": "keep", "Value": "1"}, {"Key": "new", "Value": "y"}])
    ecs.send(retag)
    chosen = group()
    join = JoinResourceGroupRequest()
    join.set_ResourceType("instance")
    join.set_ResourceId(instance_id)
    join.set_ResourceGroupId(chosen)
    ecs.send(join)
    seen = ecs.instance(instance_id)
    assert {t["TagKey"]: t["TagValue"] for t in seen["Tags"]["Tag"]} == {"Name": "api", "keep": "1", "new": "y"}
    assert seen["ResourceGroupId"] == chosen


def test_terraform_disk_tags_update_through_the_v3_client(ecs):
    """alicloud_ecs_disk update (2.2): UntagResources then TagResources and JoinResourceGroup
    over the tea RPC client; DescribeDisks reads them back."""
    client = ecs.tea()
    disk_id = client.create_disk(ecs_models.CreateDiskRequest(
        region_id=REGION, zone_id=ZONE, size=20,
        tag=[ecs_models.CreateDiskRequestTag(key="team", value="a")])).body.disk_id
    client.untag_resources(ecs_models.UntagResourcesRequest(
        region_id=REGION, resource_type="disk", resource_id=[disk_id], tag_key=["team"]))
    client.tag_resources(ecs_models.TagResourcesRequest(
        region_id=REGION, resource_type="disk", resource_id=[disk_id],
        tag=[ecs_models.TagResourcesRequestTag(key="team", value="b")]))
    chosen = group()
    client.join_resource_group(ecs_models.JoinResourceGroupRequest(
        region_id=REGION, resource_type="disk", resource_id=disk_id, resource_group_id=chosen))
    (disk,) = client.describe_disks(ecs_models.DescribeDisksRequest(
        region_id=REGION, disk_ids=json.dumps([disk_id]))).body.disks.disk
    assert [(t.tag_key, t.tag_value) for t in disk.tags.tag] == [("team", "b")]
    assert disk.resource_group_id == chosen
    listed_by_v3 = client.list_tag_resources(ecs_models.ListTagResourcesRequest(
        region_id=REGION, resource_type="disk", resource_id=[disk_id])).body
    assert [(r.resource_id, r.tag_key, r.tag_value) for r in listed_by_v3.tag_resources.tag_resource] \
        == [(disk_id, "team", "b")]
    described = client.describe_tags(ecs_models.DescribeTagsRequest(
        region_id=REGION, resource_type="disk", resource_id=disk_id)).body
    assert [(t.tag_key, t.resource_type_count.disk) for t in described.tags.tag] == [("team", 1)]
