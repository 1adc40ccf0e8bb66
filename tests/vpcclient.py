"""The VPC product's clients on an emulator: the old Python SDK (aliyun-python-sdk-vpc,
CommonRequest or its request classes) and the tea SDK (alibabacloud-vpc20160428)."""

from __future__ import annotations

from typing import Any

from tests.ecsclient import Ecs

VERSION = "2016-04-28"


class Vpc:
    """Calls of the VPC product, with the same key and region as ``ecs``."""

    def __init__(self, ecs: Ecs) -> None:
        self.ecs = ecs
        self.region = ecs.region
        ecs.client.add_endpoint(ecs.region, "Vpc", ecs.server.endpoint)  # for aliyunsdkvpc's request classes

    def __call__(self, action: str, **params: Any) -> dict:
        return self.ecs(action, api_version=VERSION, **params)

    def send(self, request: Any) -> dict:
        """An aliyunsdkvpc request class, unmodified."""
        return self.ecs.send(request, add_region=False)

    def error(self, action: str, **params: Any) -> tuple[str, int]:
        return self.ecs.error(action, api_version=VERSION, **params)

    def tea(self) -> Any:
        from alibabacloud_tea_openapi import models
        from alibabacloud_vpc20160428.client import Client
        return Client(models.Config(access_key_id=self.ecs.key.key_id, access_key_secret=self.ecs.key.secret,
                                    region_id=self.region, endpoint=self.ecs.server.endpoint, protocol="http"))

    def create(self, **params: Any) -> str:
        return self("CreateVpc", RegionId=self.region, **params)["VpcId"]

    def attribute(self, vpc_id: str) -> dict:
        return self("DescribeVpcAttribute", RegionId=self.region, VpcId=vpc_id)
