"""The ECS actions the emulator answers, one declaration each."""

from __future__ import annotations

from . import (
    auto_snapshot_policies,
    available_resources,
    disk_attributes,
    disk_resets,
    disks,
    image_attributes,
    images,
    instance_attributes,
    instance_batches,
    instance_changes,
    instance_types,
    instances,
    keypairs,
    launch,
    maintenance,
    network_interfaces,
    ram_roles,
    regions,
    security_group_members,
    security_group_rules,
    security_groups,
    snapshot_attributes,
    snapshots,
    tags,
)
from .declaration import Action

API_VERSION = "2014-05-26"


def all_actions() -> dict[str, Action]:
    """Every declared action by name; a fresh mapping per emulator."""
    declared = [*regions.ACTIONS, *launch.ACTIONS, *instances.ACTIONS, *instance_batches.ACTIONS,
                *instance_changes.ACTIONS, *disks.ACTIONS, *disk_resets.ACTIONS, *disk_attributes.ACTIONS,
                *snapshots.ACTIONS, *snapshot_attributes.ACTIONS, *images.ACTIONS, *image_attributes.ACTIONS,
                *keypairs.ACTIONS, *security_groups.ACTIONS,
                *security_group_rules.ACTIONS, *security_group_members.ACTIONS,
                *instance_attributes.ACTIONS, *ram_roles.ACTIONS, *maintenance.ACTIONS, *network_interfaces.ACTIONS,
                *available_resources.ACTIONS, *instance_types.ACTIONS, *tags.ACTIONS,
                *auto_snapshot_policies.ACTIONS]
    return {action.name: action for action in declared}
