"""Primary ENIs in the store: they are their instances' rows (domain/network_interfaces.py),
so DescribeNetworkInterfaces lists instances, with these conditions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import false

from .filters import columns_named, equal_to
from .schema import instances

_EQUAL = columns_named(instances, "id", "vpc_id", "vswitch_id", "private_ip")


def listing_filters(*, none_match: bool = False, private_ips: Sequence[str] | None = None, **equal: Any) -> list:
    """Each column of ``equal`` equal to its value (None: not filtered); a private IP among
    ``private_ips``; ``none_match``: a filter no primary ENI meets (a secondary ENI's type,
    name, security group, tag…), so nothing is listed."""
    conditions = equal_to(_EQUAL, equal)
    if private_ips is not None:
        conditions.append(instances.c.private_ip.in_(private_ips))
    if none_match:
        conditions.append(false())
    return conditions
