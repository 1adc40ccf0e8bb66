"""An instance's maintenance attributes: the window it may be taken down in, the action
on maintenance, the notice before it (DescribeInstanceMaintenanceAttributes)."""

from __future__ import annotations

import re

ACTIONS = ("Stop", "AutoRecover", "AutoRedeploy")
# AutoRedeploy (fail over, with possible loss of local disks) is offered to instance types
# with local disks only, and the catalogue has none.
SUPPORTED_ACTIONS = ("Stop", "AutoRecover")
DEFAULT_ACTION = "AutoRecover"

_ON_THE_HOUR = re.compile(r"([01][0-9]|2[0-3]):00:00")


def valid_window(start: str | None, end: str | None) -> bool:
    """Both ends ``HH:00:00`` (UTC+8), on the hour, the end 1 to 23 hours after the start
    (a window may run past midnight: 22:00:00 to 02:00:00)."""
    if start is None or end is None:
        return False
    if not (_ON_THE_HOUR.fullmatch(start) and _ON_THE_HOUR.fullmatch(end)):
        return False
    return (int(end[:2]) - int(start[:2])) % 24 != 0
