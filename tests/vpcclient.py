"""The VPC product's clients on an emulator: the old Python SDK (aliyun-python-sdk-vpc,
CommonRequest or its request classes) and the tea SDK (alibabacloud-vpc20160428)."""

from __future__ import annotations

import json
from typing import Any

from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.request import CommonRequest

from tests.ecsclient import Ecs, _wire

VERSION = "2016-04-28"


class Vpc:
    """Calls of the VPC product, with the same key and region as ``ecs``."""

    def __init__(self, ecs: Ecs) -> None:
        self.ecs = ecs
        self.region = ecs.region
        ecs.client.add_endpoint(ecs.region, "Vpc", ecs.server.endpoint)  # for aliyunsdkvpc's request classes

    def __call__(self, action: str, **params: Any) -> dict:
        request = CommonRequest(domain=self.ecs.server.endpoint, version=VERSION, action_name=action)
        request.set_accept_format("JSON")
        for name, value in params.items():
            if value is not None:
                request.add_query_param(name, _wire(value))
        return json.loads(self.ecs.client.do_action_with_exception(request))

    def send(self, request: Any) -> dict:
        """An aliyunsdkvpc request class, unmodified."""
        request.set_endpoint(self.ecs.server.endpoint)
        return json.loads(self.ecs.client.do_action_with_exception(request))

    def error(self, action: str, **params: Any) -> tuple[str, int]:
        try:
            body = self(action, **params)
        except ServerException as exc:
            return exc.get_error_code(), exc.get_http_status()
        raise AssertionError(f"{action} succeeded: {body}")

    def tea(self) -> Any:
        from alibabacloud_tea_openapi import models
        from alibabacloud_vpc20160428.client import Client
        return Client(models.Config(access_key_id=self.ecs.key.key_id, access_key_secret=self.ecs.key.secret,
                                    region_id=self.region, endpoint=self.ecs.server.endpoint, protocol="http"))

    def create(self, **params: Any) -> str:
        return self("CreateVpc", RegionId=self.region, **params)["VpcId"]

    def attribute(self, vpc_id: str) -> dict:
        return self("DescribeVpcAttribute", RegionId=self.region, VpcId=vpc_id)
