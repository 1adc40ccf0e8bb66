"""Instance type and bandwidth changes (ModifyInstanceSpec, ModifyPrepayInstanceSpec)."""

from __future__ import annotations

from ..catalog.instance_types import InstanceType

MAX_BANDWIDTH_OUT = 100      # Mbit/s
DOWNGRADES_ALLOWED = 3       # per subscription: each one refunds a price difference


def is_downgrade(current: InstanceType, new: InstanceType) -> bool:
    """Fewer vCPUs or less memory than now."""
    return new.cpu_cores < current.cpu_cores or new.memory_gib < current.memory_gib


def bandwidth_in_limit(bandwidth_out: int) -> int:
    """The most inbound bandwidth allowed: 10 Mbit/s, or the outbound bandwidth above that;
    also its default."""
    return max(10, bandwidth_out)
