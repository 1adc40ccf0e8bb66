"""A thin helper over the official old Python SDK (aliyun-python-sdk-core's CommonRequest)
for scenario tests: call an action with wire-named parameters, get the parsed body, or
the error's code and HTTP status as the SDK surfaced them."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Callable
from typing import Any

from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest

from ecsemu.accounts import DEVELOPMENT_KEY
from ecsemu.catalog.regions import REGIONS_BY_ID
from ecsemu.testing import EmulatorServer

LINUX_IMAGE = "ubuntu_22_04_x64_20G_alibase_20240926.vhd"
WINDOWS_IMAGE = "win2022_21H2_x64_dtc_en-us_40G_alibase_20240916.vhd"
REGION = "cn-hangzhou"
ZONE = "cn-hangzhou-b"


class Ecs:
    def __init__(self, server: EmulatorServer, key=DEVELOPMENT_KEY, region: str = REGION) -> None:
        self.server = server
        self.key = key
        self.region = region
        self.client = AcsClient(key.key_id, key.secret, region, auto_retry=False)
        self.client.add_endpoint(region, "Ecs", server.endpoint)  # for the SDK's request classes too

    def tea(self) -> Any:
        """The tea SDK's client (alibabacloud-ecs20140526) on the same emulator: a
        form-encoded POST, as the Terraform provider's R transport sends."""
        from alibabacloud_ecs20140526.client import Client
        from alibabacloud_tea_openapi import models
        return Client(models.Config(access_key_id=self.key.key_id, access_key_secret=self.key.secret,
                                    region_id=self.region, endpoint=self.server.endpoint, protocol="http"))

    def send(self, request: Any, *, add_region: bool = True) -> dict:
        """An old-SDK request class, unmodified, sent to the emulator (with the client's
        RegionId unless told not to)."""
        request.set_endpoint(self.server.endpoint)
        if add_region:
            request.add_query_param("RegionId", self.region)
        return json.loads(self.client.do_action_with_exception(request))

    def __call__(self, action: str, *, api_version: str = "2014-05-26", **params: Any) -> dict:
        """An action of ECS, or of the product whose ``api_version`` is given."""
        request = CommonRequest(domain=self.server.endpoint, version=api_version, action_name=action)
        request.set_accept_format("JSON")
        for name, value in params.items():
            if value is not None:
                request.add_query_param(name, _wire(value))
        return json.loads(self.client.do_action_with_exception(request))

    def error(self, action: str, **params: Any) -> tuple[str, int]:
        """(Code, HTTP status) of a call that must fail."""
        try:
            body = self(action, **params)
        except ServerException as exc:
            return exc.get_error_code(), exc.get_http_status()
        raise AssertionError(f"{action} succeeded: {body}")

    # --- conveniences for scenarios ---------------------------------------------------------

    def security_group(self) -> str:
        return self("CreateSecurityGroup", RegionId=self.region)["SecurityGroupId"]

    def vswitch(self, zone_id: str | None = None) -> str:
        """The default vSwitch of the zone (default: the region's first), which ECS makes
        with the region's default VPC, one per zone in zone order. (With the VPC product's
        DescribeVSwitches, ``ZoneId`` and ``IsDefault`` would name it directly.)"""
        zones = [zone.zone_id for zone in REGIONS_BY_ID[self.region].zones]
        self.security_group()   # makes the default VPC if it is not there yet
        request = CommonRequest(domain=self.server.endpoint, version="2016-04-28", action_name="DescribeVpcs")
        request.set_accept_format("JSON")
        request.add_query_param("RegionId", self.region)
        request.add_query_param("IsDefault", "true")
        default = json.loads(self.client.do_action_with_exception(request))["Vpcs"]["Vpc"][0]
        return default["VSwitchIds"]["VSwitchId"][zones.index(zone_id or zones[0])]

    def run_instance(self, **params: Any) -> str:
        params = {"RegionId": self.region, "ImageId": LINUX_IMAGE, "InstanceType": "ecs.g7.large", **params}
        params.setdefault("SecurityGroupId", self.security_group())
        params.setdefault("VSwitchId", self.vswitch(params.get("ZoneId")))
        return self("RunInstances", **params)["InstanceIdSets"]["InstanceIdSet"][0]

    def instance(self, instance_id: str) -> dict:
        found = self("DescribeInstances", RegionId=self.region, InstanceIds=[instance_id])["Instances"]["Instance"]
        assert len(found) == 1, found
        return found[0]

    def disk(self, disk_id: str) -> dict:
        found = self("DescribeDisks", RegionId=self.region, DiskIds=[disk_id])["Disks"]["Disk"]
        assert len(found) == 1, found
        return found[0]

    def disks_of(self, instance_id: str) -> list[dict]:
        return self("DescribeDisks", RegionId=self.region, InstanceId=instance_id, PageSize=100)["Disks"]["Disk"]

    def wait(self, probe: Callable[[], Any], expected: Any, timeout: float = 15.0) -> None:
        """Polls as a client's wait loop would, until ``probe()`` returns ``expected``."""
        deadline = time.monotonic() + timeout
        while (seen := probe()) != expected:
            assert time.monotonic() < deadline, f"still {seen!r}, waited for {expected!r}"
            time.sleep(0.1)


def control(server, method: str, path: str, body: dict | None = None) -> dict:
    """A call to the emulator's control plane (``/_ecsemu/…``)."""
    request = urllib.request.Request(f"{server.url}/_ecsemu{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def advance(ecs: Ecs, seconds: float) -> None:
    """Moves a manual-mode emulator's clock."""
    control(ecs.server, "POST", "/clock/advance", {"seconds": seconds})


def flat(name: str, items: list[dict]) -> dict[str, Any]:
    """``flat("DataDisk", [{"Size": 20}])`` -> ``{"DataDisk.1.Size": 20}``."""
    return {f"{name}.{n}.{key}": value for n, item in enumerate(items, start=1) for key, value in item.items()}


def _wire(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value))
    return str(value)
