"""What DescribeInstanceTypes says of a type, and its filters, over the catalogue.

Each attribute is written once (``attributes``); the filters name the attribute they test:
an equality (``InstanceTypeFamily``), a list of accepted values (``InstanceTypeFamilies.N``)
or a bound (``MinimumCpuCoreCount``). The declaration's parameters are derived from the
same tables, so no filter can be declared and then ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..catalog.instance_types import InstanceType


def attributes(t: InstanceType) -> dict[str, Any]:
    """DescribeInstanceTypes' entry for the type (numbers as JSON numbers: the Terraform
    provider asserts ``LocalStorageCapacity`` is one)."""
    net = t.network
    return {
        "InstanceTypeId": t.type_id,
        "InstanceTypeFamily": t.family,
        "InstanceCategory": t.category,
        "InstanceFamilyLevel": t.level,
        "CpuArchitecture": t.architecture,
        "PhysicalProcessorModel": t.processor,
        "CpuCoreCount": t.cpu_cores,
        "CpuSpeedFrequency": t.base_ghz,
        "CpuTurboFrequency": t.turbo_ghz,
        "MemorySize": t.memory_gib,
        "GPUAmount": 0,
        "GPUSpec": "",
        "GPUMemorySize": 0.0,
        "LocalStorageAmount": 0,
        "LocalStorageCapacity": 0,
        "LocalStorageCategory": "",
        "EniQuantity": net.eni_quantity,
        "EniTotalQuantity": net.eni_quantity,
        "EniPrivateIpAddressQuantity": net.eni_private_ips,
        "EniIpv6AddressQuantity": net.eni_ipv6,
        "EniTrunkSupported": True,
        "EriQuantity": 0,
        "PrimaryEniQueueNumber": net.queues,
        "SecondaryEniQueueNumber": net.queues,
        "MaximumQueueNumberPerEni": net.queues,
        "QueuePairNumber": net.queues,
        "TotalEniQueueQuantity": net.queues * net.eni_quantity,
        "InstanceBandwidthRx": net.bandwidth_kbps,
        "InstanceBandwidthTx": net.bandwidth_kbps,
        "InstancePpsRx": net.pps,
        "InstancePpsTx": net.pps,
        "InitialCredit": t.initial_credit,
        "BaselineCredit": t.baseline_credit,
        "NvmeSupport": t.nvme_support,
        "DiskQuantity": t.disk_quantity,
    }


@dataclass(frozen=True)
class Bound:
    param: str        # e.g. MinimumCpuCoreCount
    attribute: str    # the attribute it bounds, e.g. CpuCoreCount
    integer: bool     # an Integer parameter, else a Float
    at_least: bool    # Minimum…, else Maximum…


def _bounds(attribute: str, *, integer: bool = True, maximum: bool = False) -> tuple[Bound, ...]:
    minimum = (Bound(f"Minimum{attribute}", attribute, integer, at_least=True),)
    return minimum + ((Bound(f"Maximum{attribute}", attribute, integer, at_least=False),) if maximum else ())


# name -> attribute: one value asked for
EQUALS: dict[str, str] = {name: name for name in (
    "InstanceTypeFamily", "InstanceCategory", "InstanceFamilyLevel", "CpuArchitecture", "GPUSpec",
    "LocalStorageCategory", "NvmeSupport", "PhysicalProcessorModel")}
# name -> attribute: any of the values listed (Name.N)
ANY_OF: dict[str, str] = {
    "InstanceTypes": "InstanceTypeId", "InstanceTypeFamilies": "InstanceTypeFamily",
    "InstanceCategories": "InstanceCategory", "CpuArchitectures": "CpuArchitecture", "GpuSpecs": "GPUSpec",
    "LocalStorageCategories": "LocalStorageCategory", "PhysicalProcessorModels": "PhysicalProcessorModel",
}
BOUNDS: tuple[Bound, ...] = (
    *_bounds("CpuCoreCount", maximum=True), *_bounds("MemorySize", integer=False, maximum=True),
    *_bounds("GPUAmount", maximum=True), *_bounds("CpuSpeedFrequency", integer=False, maximum=True),
    *_bounds("CpuTurboFrequency", integer=False, maximum=True),
    *_bounds("EniQuantity"), *_bounds("EniPrivateIpAddressQuantity"),
    *_bounds("PrimaryEniQueueNumber"), *_bounds("SecondaryEniQueueNumber"), *_bounds("QueuePairNumber"),
    *_bounds("InstanceBandwidthRx"), *_bounds("InstanceBandwidthTx"), *_bounds("InstancePpsRx"),
    *_bounds("InstancePpsTx"), *_bounds("LocalStorageAmount"), *_bounds("LocalStorageCapacity"),
    *_bounds("InitialCredit"), *_bounds("BaselineCredit"), *_bounds("DiskQuantity"), *_bounds("EriQuantity"),
)


def matches(entry: Mapping[str, Any], args: Mapping[str, Any]) -> bool:
    """Whether the type's entry passes every filter given in ``args`` (absent: None)."""
    for name, attribute in EQUALS.items():
        if args.get(name) is not None and entry[attribute] != args[name]:
            return False
    for name, attribute in ANY_OF.items():
        if args.get(name) and entry[attribute] not in args[name]:
            return False
    for bound in BOUNDS:
        limit = args.get(bound.param)
        if limit is not None and (entry[bound.attribute] < limit if bound.at_least else entry[bound.attribute] > limit):
            return False
    return True


def supports_image(t: InstanceType, architecture: str) -> bool:
    """Whether an image of that architecture (x86_64, arm64) runs on the type."""
    return (architecture == "arm64") == (t.architecture == "ARM")
