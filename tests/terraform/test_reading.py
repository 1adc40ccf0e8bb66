"""The harness's own rules, checked against terraform-calls.md §1.2-§1.5 without a server:
a wrong rule here would let a replay pass where the provider fails."""

from __future__ import annotations

import pytest

from .reading import (
    ARRAY,
    BOOL,
    NUMBER,
    OBJECT,
    STRING,
    Pace,
    WaitFailed,
    check_types,
    is_expected,
    lookup,
    need_retry,
    not_found,
    wait_for,
)
from .transports import ApiError, flatten, json_list


def r_error(status: int, code: str, message: str = "m") -> ApiError:
    body = {"Code": code, "Message": message, "RequestId": "r"}
    return ApiError("R", "A", status, code, f"code: {status}, {message} request id: r", body)


def l_error(status: int, code: str, message: str = "m") -> ApiError:
    return ApiError("L", "A", status, code, message, {"Code": code, "Message": message})


def test_an_empty_code_is_every_expected_code():
    assert is_expected(r_error(403, ""), ["IncorrectInstanceStatus"])
    assert is_expected(r_error(400, "Invalid"), ["InvalidDiskId.NotFound"])  # a prefix
    assert not is_expected(r_error(404, "InvalidDiskId.NotFound"), ["InvalidDisk.AlreadyDetached"])
    assert not is_expected(l_error(403, ""), ["IncorrectInstanceStatus"])  # L compares whole codes


def test_not_found_is_404_or_the_word_in_the_message():
    assert not_found(r_error(404, "Anything"))
    assert not_found(r_error(400, "X", "The key pair NotFound here"))
    assert not not_found(r_error(403, "InvalidKeyPair.NotFound", "gone"))  # R looks at status and message only
    assert not_found(l_error(403, "Forbidden.InstanceNotFound"))
    assert not not_found(l_error(400, "InvalidDiskId.NotFound", "gone"))


def test_every_5xx_is_retried_for_r_and_only_by_code_for_l():
    assert need_retry(r_error(500, "InternalError"))
    assert not need_retry(l_error(500, "InternalError"))
    assert need_retry(l_error(400, "Throttling.User"))
    assert need_retry(r_error(503, "ServiceUnavailable"))
    assert not need_retry(r_error(403, "IncorrectDiskStatus"))


def test_r_flattens_as_tea_rpc_utils_does():
    sent = flatten({"Tag": [{"Key": "k", "Value": ""}], "DryRun": False, "Size": 20, "Description": "",
                    "ResourceGroupId": None, "DiskIds": json_list("d-1", "d-2"),
                    "NetworkInterface": [{"SecurityGroupIds": ["sg-1"]}]}, keep_empty=True)
    assert sent == {"Tag.1.Key": "k", "Tag.1.Value": "", "DryRun": "false", "Size": "20", "Description": "",
                    "DiskIds": '["d-1","d-2"]', "NetworkInterface.1.SecurityGroupIds.1": "sg-1"}
    assert flatten({"Description": "", "Tag": [{"Key": "k", "Value": ""}]}, keep_empty=False) == {"Tag.1.Key": "k"}


def test_paths_and_go_types():
    body = {"Disks": {"Disk": [{"Size": 20, "Encrypted": False, "OperationLocks": {"OperationLock": []},
                                "Tags": {"Tag": [{"TagKey": "a", "TagValue": "b"}]}}]}}
    assert lookup(body, "Disks.Disk[0].Size") == 20
    with pytest.raises(KeyError):
        lookup(body, "Disks.Disk[1]")
    check_types(body, {"Disks.Disk": ARRAY, "Disks.Disk[].Size": NUMBER, "Disks.Disk[].Encrypted": BOOL,
                       "Disks.Disk[].OperationLocks": OBJECT, "Disks.Disk[].Tags.Tag[].TagKey": STRING,
                       "Disks.Disk[].KMSKeyId?": STRING})
    for wrong in ({"Disks.Disk[].Size": STRING}, {"Disks.Disk[].Encrypted": NUMBER},
                  {"Disks.Disk[].OperationLocks.OperationLock": OBJECT}, {"Disks.Disk[].KMSKeyId": STRING}):
        with pytest.raises(AssertionError):
            check_types(body, wrong)


FAST = Pace(poll=0, timeout=1)


def states(*seen):
    replies = iter(seen)
    return lambda: next(replies)


def test_the_wait_loop_as_state_change_conf():
    assert wait_for(states(("o", "Pending"), ("o", "Running")), pending=["Pending"], target=["Running"],
                    pace=FAST) == "o"
    with pytest.raises(WaitFailed, match="unexpected state"):
        wait_for(states(("o", "Creating")), pending=["Pending"], target=["Running"], pace=FAST)
    with pytest.raises(WaitFailed, match="failed state"):
        wait_for(states(("o", "Stopping")), pending=["Pending", "Stopping"], target=["Running"],
                 fail=["Stopping"], pace=FAST)
    # An empty Pending list: any state keeps the loop going.
    assert wait_for(states(("o", "Attaching"), ("o", "In_use")), pending=[], target=["In_use"], pace=FAST) == "o"
    # Gone with an empty target ends a delete wait; with a target it is tolerated 20 times.
    assert wait_for(states(None), pending=["Running"], target=[], pace=FAST) is None
    assert wait_for(states(*[None] * 20, ("o", "Available")), pending=[], target=["Available"], pace=FAST) == "o"
    with pytest.raises(WaitFailed, match="not found 21 times"):
        wait_for(states(*[None] * 21), pending=[], target=["Available"], pace=FAST)
    with pytest.raises(WaitFailed, match="timeout"):
        wait_for(lambda: ("o", "Creating"), pending=[], target=["Available"], pace=Pace(poll=0.01, timeout=0.05))
