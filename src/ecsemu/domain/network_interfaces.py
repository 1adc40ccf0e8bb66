"""Elastic network interfaces (ENIs). Every instance has a primary ENI, made and released
with it, so named after it (one definition, read by DescribeInstances'
``NetworkInterfaces`` and by DescribeNetworkInterfaces); secondary ENIs are made,
attached, detached and deleted by their own actions. Their rules, over plain values."""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable

from ..catalog.instance_types import INSTANCE_TYPES_BY_ID

ENI_PREFIX = "eni-"
INSTANCE_PREFIX = "i-"
PRIMARY = "Primary"
SECONDARY = "Secondary"
IN_USE = "InUse"   # a primary ENI is always bound to its instance

ATTACHABLE = ("Available",)             # AttachNetworkInterface, DeleteNetworkInterface
DETACHABLE = ("InUse",)
IP_CHANGEABLE = ("Available", "InUse")  # Assign/UnassignPrivateIpAddresses
INSTANCE_STATUSES = ("Running", "Stopped")  # of the instance, for all of these
SECONDARY_IPS_WHEN_FREE = 10            # secondary IPs of an ENI attached to no instance
GROUPS_PER_ENI = 5


def primary_eni_id(instance_id: str) -> str:
    """``i-bp1abc…`` -> ``eni-bp1abc…``: the same length and region code as the instance's."""
    return ENI_PREFIX + instance_id.removeprefix(INSTANCE_PREFIX)


def instance_of_eni(eni_id: str) -> str | None:
    """The instance whose primary ENI has that ID; None for an ID no ENI here can have."""
    if not eni_id.startswith(ENI_PREFIX) or len(eni_id) <= len(ENI_PREFIX):
        return None
    return INSTANCE_PREFIX + eni_id.removeprefix(ENI_PREFIX)


def listing_keys(eni_ids: Iterable[str]) -> list[str]:
    """What ENI IDs are looked up by in the ENI listing: each ID (a secondary ENI's) and the
    instance it would be the primary ENI of (a primary ENI is listed under its instance's)."""
    keys = list(eni_ids)
    keys += [instance_id for instance_id in map(instance_of_eni, eni_ids) if instance_id]
    return list(dict.fromkeys(keys))


def mac_address(resource_id: str) -> str:
    """A stable MAC in Alibaba Cloud's OUI (00:16:3e), derived from the instance (a primary
    ENI) or the ENI's own ID (a secondary one)."""
    digest = hashlib.md5(resource_id.encode()).hexdigest()[:6]
    return ":".join(["00:16:3e"] + [digest[i:i + 2] for i in range(0, 6, 2)])


def enis_per_instance(instance_type: str) -> int:
    """How many ENIs an instance of the type takes, its primary one included."""
    return INSTANCE_TYPES_BY_ID[instance_type].network.eni_quantity


def ips_per_eni(instance_type: str) -> int:
    """How many private IPv4 addresses one ENI of an instance of the type holds, its primary
    address included."""
    return INSTANCE_TYPES_BY_ID[instance_type].network.eni_private_ips


def secondary_ip_limit(instance_type: str | None) -> int:
    """Secondary private IPs an ENI may hold: the instance type's figure once attached,
    else ``SECONDARY_IPS_WHEN_FREE``."""
    return SECONDARY_IPS_WHEN_FREE if instance_type is None else ips_per_eni(instance_type) - 1


def free_device_index(taken: Iterable[int]) -> int:
    """The lowest device index above the primary ENI's (0) that no ENI of the instance takes."""
    used = set(taken)
    index = 1
    while index in used:
        index += 1
    return index


# A vSwitch keeps its block's first address and last three (the VPC API reference: of
# 192.168.1.0/24, .0, .253, .254 and .255); every other address may be handed out.
RESERVED_AT_END = 3


def usable_in(cidr_block: str, address: str) -> bool:
    """Whether ``address`` is an IPv4 host of the vSwitch's block that an instance or ENI
    may hold: inside the block, not one of its reserved addresses."""
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return False
    network = ipaddress.IPv4Network(cidr_block)
    return ip in network and 0 < int(ip) - int(network.network_address) <= last_usable_offset(cidr_block)


def last_usable_offset(cidr_block: str) -> int:
    """The offset from the network address of the block's last address that may be handed out."""
    return ipaddress.IPv4Network(cidr_block).num_addresses - 1 - RESERVED_AT_END


def address_at(cidr_block: str, offset: int) -> str:
    return str(ipaddress.IPv4Network(cidr_block).network_address + offset)


def first_free(cidr_block: str, held: Iterable[str]) -> str | None:
    """The lowest address of the block that may be handed out and is not ``held``; None:
    every one is."""
    taken = set(held)
    for offset in range(1, last_usable_offset(cidr_block) + 1):
        address = address_at(cidr_block, offset)
        if address not in taken:
            return address
    return None


def consecutive(first: str, count: int) -> list[str] | None:
    """``count`` addresses from ``first`` on (RunInstances' PrivateIpAddress with an Amount
    above 1); None: ``first`` is no IPv4 address."""
    try:
        start = ipaddress.IPv4Address(first)
    except ValueError:
        return None
    if int(start) + count - 1 > int(ipaddress.IPv4Address("255.255.255.255")):
        return None
    return [str(start + n) for n in range(count)]


def repeated(addresses: Iterable[str]) -> bool:
    listed = list(addresses)
    return len(set(listed)) < len(listed)
