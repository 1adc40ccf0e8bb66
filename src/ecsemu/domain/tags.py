"""Tags, as rules: what a key and a value may be, how many a resource holds, and the
resource types the tag actions name (the SDK's TagResources/RunInstances models and the
tag actions' error tables)."""

from __future__ import annotations

from collections.abc import Sequence

MAX_PER_RESOURCE = 20          # tags a resource holds
MAX_PER_CALL = 20              # Tag.N / TagKey.N of one call
MAX_RESOURCES_PER_CALL = 50    # ResourceId.N of one call
MAX_LENGTH = 128               # characters of a key or a value
RESERVED_KEY_PREFIXES = ("aliyun", "acs:")   # the platform's own tags
FORBIDDEN_PARTS = ("http://", "https://")

# ResourceType of the tag actions, as the API spells them (lower case).
RESOURCE_TYPES = (
    "instance", "disk", "snapshot", "image", "securitygroup", "volume", "eni", "ddh", "ddhcluster", "keypair",
    "launchtemplate", "reservedinstance", "snapshotpolicy", "elasticityassurance", "capacityreservation",
    "command", "invocation", "activation", "managedinstance",
)

# The VPC product's tag actions (ResourceType read in any case) and MoveResourceGroup.
VPC_RESOURCE_TYPES = ("VPC", "VSWITCH", "ROUTETABLE", "EIP", "VpnGateway", "NATGATEWAY", "COMMONBANDWIDTHPACKAGE")
VPC_GROUP_RESOURCE_TYPES = ("vpc", "vswitch", "eip", "bandwidthpackage", "natgateway", "vpngateway")

# DescribeTags counts a tag's resources per type, in these fields of ResourceTypeCount.
COUNT_FIELDS = {
    "instance": "Instance", "disk": "Disk", "volume": "Volume", "image": "Image", "snapshot": "Snapshot",
    "securitygroup": "Securitygroup", "launchtemplate": "LaunchTemplate", "eni": "Eni", "ddh": "Ddh",
    "keypair": "KeyPair", "snapshotpolicy": "SnapshotPolicy", "reservedinstance": "ReservedInstance",
}


def valid_key(key: str | None) -> bool:
    """Not empty, at most 128 characters, not the platform's (``aliyun``, ``acs:``), no URL."""
    if not key:
        return False
    return len(key) <= MAX_LENGTH and not key.startswith(RESERVED_KEY_PREFIXES) \
        and not any(part in key for part in FORBIDDEN_PARTS)


def valid_value(value: str) -> bool:
    """May be empty; at most 128 characters, no URL."""
    return len(value) <= MAX_LENGTH and not any(part in value for part in FORBIDDEN_PARTS)


def merged(held: Sequence[tuple[str, str]], added: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """A resource's tags once ``added`` are set on it: a key it holds takes the new value."""
    tags = dict(held)
    tags.update(added)
    return sorted(tags.items())


def over_quota(tags: Sequence[tuple[str, str]]) -> bool:
    return len(tags) > MAX_PER_RESOURCE
