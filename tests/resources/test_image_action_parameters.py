"""The parameter errors the image sharing, copy, file and task actions declare, each reached:
a region that does not exist, a value of the wrong type or outside its list, one required
missing. Nothing is made by any of them."""

import pytest

from tests.ecsclient import REGION

ACTIONS = {
    "ModifyImageSharePermission": {"ImageId": "m-none"},
    "DescribeImageSharePermission": {"ImageId": "m-none"},
    "CopyImage": {"ImageId": "m-none"},
    "CancelCopyImage": {"ImageId": "m-none"},
    "ExportImage": {"ImageId": "m-none", "OSSBucket": "b"},
    "ImportImage": {"DiskDeviceMapping.1.OSSBucket": "b", "DiskDeviceMapping.1.OSSObject": "o"},
    "DescribeImageFromFamily": {"ImageFamily": "f"},
    "DescribeTasks": {},
    "DescribeTaskAttribute": {"TaskId": "t-none"},
}

BAD_VALUES = [
    ("ModifyImageSharePermission", {"ImageId": "m-none", "DryRun": "perhaps"}, ("InvalidParameter", 400)),
    ("DescribeImageSharePermission", {"ImageId": "m-none", "PageSize": "0"}, ("InvalidParameter", 400)),
    ("CopyImage", {"ImageId": "m-none", "Encrypted": "perhaps"}, ("InvalidParameter", 400)),
    ("CopyImage", {"ImageId": "m-none", **{f"Tag.{n}.Key": f"k{n}" for n in range(1, 22)}}, ("InvalidParameter", 400)),
    ("ExportImage", {"ImageId": "m-none", "OSSBucket": "b", "DryRun": "perhaps"}, ("InvalidParameter", 400)),
    ("ImportImage", {"DiskDeviceMapping.1.OSSBucket": "b", "DiskDeviceMapping.1.DiskImageSize": "big"},
     ("InvalidParameter", 400)),
    ("ImportImage", {"DiskDeviceMapping.1.OSSBucket": "b", "DiskDeviceMapping.2.OSSBucket": "b"},
     ("InvalidParameter", 400)),
    ("ImportImage", {"Architecture": "sparc"}, ("InvalidArchitecture.Malformed", 400)),
    ("ImportImage", {"BootMode": "Floppy"}, ("InvalidParameter", 400)),
    ("ImportImage", {"LicenseType": "Pirate"}, ("InvalidParameter", 400)),
    ("ImportImage", {"StorageLocationArn": "acs:oss:x"}, ("UnsupportedParameter", 400)),
    ("DescribeTasks", {"TaskAction": "Dance"}, ("InvalidParameter", 400)),
    ("DescribeTasks", {"PageNumber": "0"}, ("InvalidParameter", 400)),
]

MISSING = [
    ("DescribeImageSharePermission", {}),
    ("CopyImage", {"DestinationRegionId": "cn-shanghai"}),
    ("CancelCopyImage", {}),
    ("ExportImage", {"OSSBucket": "b"}),
    ("DescribeTaskAttribute", {}),
]


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_region_that_does_not_exist(ecs, action):
    assert ecs.error(action, RegionId="xx-nowhere-1", **ACTIONS[action]) == ("InvalidRegionId.NotFound", 404)


@pytest.mark.parametrize(("action", "params", "answer"), BAD_VALUES,
                         ids=[f"{a}-{'-'.join(p)[:40]}" for a, p, _ in BAD_VALUES])
def test_a_bad_value(ecs, action, params, answer):
    assert ecs.error(action, RegionId=REGION, **params) == answer


@pytest.mark.parametrize(("action", "params"), MISSING, ids=[a for a, _ in MISSING])
def test_a_required_parameter_missing(ecs, action, params):
    assert ecs.error(action, RegionId=REGION, **params) == ("MissingParameter", 400)


def test_nothing_was_made(ecs):
    assert ecs("DescribeImages", RegionId=REGION, ImageOwnerAlias="self", Status="ALL")["TotalCount"] == 0
    assert ecs("DescribeTasks", RegionId=REGION)["TotalCount"] == 0
