"""Security group rules of the group itself and of its members: inner access, how many
groups an instance may be in, how many instances a group may hold."""

from __future__ import annotations

INNER_ACCESS_POLICIES = ("Accept", "Drop")
GROUPS_PER_INSTANCE = 5
INSTANCES_PER_GROUP = 2000              # a normal group's; DescribeSecurityGroups counts down from it
MEMBERSHIP_STATUSES = ("Running", "Stopped")   # JoinSecurityGroup, LeaveSecurityGroup


def default_inner_access_policy(group_type: str) -> str:
    """A normal group's instances reach one another; an enterprise group's do not."""
    return "Drop" if group_type == "enterprise" else "Accept"
