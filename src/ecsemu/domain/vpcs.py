"""What a VPC may be: its CIDR block, name and description, the quota per region, and the
IDs of the vRouter and System route table every VPC has (derived from the VPC's own ID,
so that the default VPCs made before the VPC product existed have them too)."""

from __future__ import annotations

import ipaddress

# The private ranges a VPC's block is, or lies inside; masks /8 to /28 (10/8 itself is /8).
PRIVATE_RANGES = tuple(ipaddress.IPv4Network(block) for block in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
MIN_PREFIX, MAX_PREFIX = 8, 28
DEFAULT_CIDR = "172.16.0.0/12"      # CreateVpc without CidrBlock
QUOTA_PER_REGION = 10               # VPCs per account and region, the default VPC among them
NAME_LENGTH = (1, 128)
DESCRIPTION_LENGTH = (1, 256)


def valid_cidr(text: str) -> bool:
    """A network address with its mask (``192.168.0.0/16``, no host bits), inside a
    private range, mask /8 to /28."""
    try:
        network = ipaddress.ip_network(text, strict=True)
    except ValueError:
        return False
    if not isinstance(network, ipaddress.IPv4Network) or "/" not in text:
        return False
    return MIN_PREFIX <= network.prefixlen <= MAX_PREFIX and any(network.subnet_of(private)
                                                                 for private in PRIVATE_RANGES)


def contains(outer: str, inner: str) -> bool:
    return ipaddress.IPv4Network(inner).subnet_of(ipaddress.IPv4Network(outer))


def _valid_text(value: str, length: tuple[int, int]) -> bool:
    return length[0] <= len(value) <= length[1] and not value.startswith(("http://", "https://"))


def valid_name(name: str) -> bool:
    """1 to 128 characters, not starting with http:// or https://."""
    return _valid_text(name, NAME_LENGTH)


def valid_description(description: str) -> bool:
    """1 to 256 characters, not starting with http:// or https://."""
    return _valid_text(description, DESCRIPTION_LENGTH)


def vrouter_id(vpc_id: str) -> str:
    """``vpc-bp1…`` -> ``vrt-bp1…``."""
    return "vrt-" + vpc_id.split("-", 1)[1]


def route_table_id(vpc_id: str) -> str:
    """The System route table's: ``vpc-bp1…`` -> ``vtb-bp1…``."""
    return "vtb-" + vpc_id.split("-", 1)[1]


def vpc_of_route_table(route_table_id: str) -> str | None:
    """The VPC whose System route table it is: ``vtb-bp1…`` -> ``vpc-bp1…``; None for an ID
    that is not a route table's."""
    prefix, sep, rest = route_table_id.partition("-")
    return "vpc-" + rest if prefix == "vtb" and sep and rest else None


def vpc_of_vrouter(vrouter_id: str) -> str | None:
    """The VPC a vRouter is of: ``vrt-bp1…`` -> ``vpc-bp1…``; None for an ID that is not a vRouter's."""
    prefix, sep, rest = vrouter_id.partition("-")
    return "vpc-" + rest if prefix == "vrt" and sep and rest else None
