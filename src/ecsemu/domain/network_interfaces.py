"""The primary elastic network interface (ENI) every instance has: made and released with
it, so named after it. One definition, read by DescribeInstances' ``NetworkInterfaces``
and by DescribeNetworkInterfaces."""

from __future__ import annotations

import hashlib

ENI_PREFIX = "eni-"
INSTANCE_PREFIX = "i-"
PRIMARY = "Primary"
IN_USE = "InUse"   # a primary ENI is always bound to its instance


def primary_eni_id(instance_id: str) -> str:
    """``i-bp1abc…`` -> ``eni-bp1abc…``: the same length and region code as the instance's."""
    return ENI_PREFIX + instance_id.removeprefix(INSTANCE_PREFIX)


def instance_of_eni(eni_id: str) -> str | None:
    """The instance whose primary ENI has that ID; None for an ID no ENI here can have."""
    if not eni_id.startswith(ENI_PREFIX) or len(eni_id) <= len(ENI_PREFIX):
        return None
    return INSTANCE_PREFIX + eni_id.removeprefix(ENI_PREFIX)


def mac_address(instance_id: str) -> str:
    """A stable MAC in Alibaba Cloud's OUI (00:16:3e), derived from the instance."""
    digest = hashlib.md5(instance_id.encode()).hexdigest()[:6]
    return ":".join(["00:16:3e"] + [digest[i:i + 2] for i in range(0, 6, 2)])
