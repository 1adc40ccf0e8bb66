"""What a vSwitch may be: its CIDR block (inside its VPC's, mask /16 to /29, overlapping no
other vSwitch of the VPC), the quota per VPC, and how many of its addresses are free.

Names and descriptions follow the VPC's rules (domain/vpcs.py)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from . import vpcs

MIN_PREFIX, MAX_PREFIX = 16, 29
QUOTA_PER_VPC = 150                 # vSwitches per VPC, the default ones among them
# The first address and the last three of every block are the service's (gateway, ...).
RESERVED_ADDRESSES = 4

valid_name = vpcs.valid_name
valid_description = vpcs.valid_description


def valid_cidr(text: str) -> bool:
    """A network address with its mask (``172.16.1.0/24``, no host bits), mask /16 to /29."""
    try:
        network = ipaddress.ip_network(text, strict=True)
    except ValueError:
        return False
    return isinstance(network, ipaddress.IPv4Network) and "/" in text and \
        MIN_PREFIX <= network.prefixlen <= MAX_PREFIX


def inside_vpc(vpc_cidr: str, cidr: str) -> bool:
    return vpcs.contains(vpc_cidr, cidr)


def overlaps_any(cidr: str, others: Iterable[str]) -> bool:
    network = ipaddress.IPv4Network(cidr)
    return any(network.overlaps(ipaddress.IPv4Network(other)) for other in others)


def available_addresses(cidr: str, taken: int) -> int:
    """``AvailableIpAddressCount``: the block's addresses less the reserved ones and those
    instances and ENIs hold."""
    return max(ipaddress.IPv4Network(cidr).num_addresses - RESERVED_ADDRESSES - taken, 0)
