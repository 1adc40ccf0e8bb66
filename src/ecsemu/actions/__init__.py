"""The products the emulator answers (ECS, VPC) and their actions, one declaration each."""

from __future__ import annotations

from . import (
    auto_snapshot_policies,
    available_resources,
    cloud_assistant_status,
    commands,
    disk_attributes,
    disk_monitoring,
    disk_resets,
    disk_specs,
    disks,
    image_attributes,
    image_copies,
    image_families,
    image_files,
    image_sharing,
    images,
    instance_attributes,
    instance_batches,
    instance_changes,
    instance_events,
    instance_types,
    instances,
    invocations,
    keypairs,
    launch,
    maintenance,
    metadata_options,
    network_interface_changes,
    network_interfaces,
    private_ips,
    ram_roles,
    regions,
    route_tables,
    security_group_members,
    security_group_rules,
    security_groups,
    snapshot_attributes,
    snapshot_copies,
    snapshot_usage,
    snapshots,
    tags,
    tasks,
    vpc_regions,
    vpc_tags,
    vpcs,
    vswitches,
)
from .declaration import Action
from .products import Product

API_VERSION = "2014-05-26"       # ECS
VPC_API_VERSION = "2016-04-28"


def all_actions() -> dict[str, Action]:
    """Every declared action by name; a fresh mapping per emulator."""
    declared = [*regions.ACTIONS, *launch.ACTIONS, *instances.ACTIONS, *instance_batches.ACTIONS,
                *instance_changes.ACTIONS, *instance_events.ACTIONS, *disks.ACTIONS, *disk_resets.ACTIONS,
                *disk_attributes.ACTIONS, *disk_specs.ACTIONS, *disk_monitoring.ACTIONS,
                *snapshots.ACTIONS, *snapshot_attributes.ACTIONS,
                *snapshot_copies.ACTIONS, *snapshot_usage.ACTIONS, *images.ACTIONS, *image_attributes.ACTIONS,
                *image_sharing.ACTIONS, *image_copies.ACTIONS, *image_families.ACTIONS, *image_files.ACTIONS,
                *tasks.ACTIONS,
                *keypairs.ACTIONS, *security_groups.ACTIONS,
                *security_group_rules.ACTIONS, *security_group_members.ACTIONS,
                *instance_attributes.ACTIONS, *ram_roles.ACTIONS, *maintenance.ACTIONS, *network_interfaces.ACTIONS,
                *network_interface_changes.ACTIONS, *private_ips.ACTIONS,
                *available_resources.ACTIONS, *instance_types.ACTIONS, *tags.ACTIONS,
                *auto_snapshot_policies.ACTIONS, *metadata_options.ACTIONS, *commands.ACTIONS,
                *invocations.ACTIONS, *cloud_assistant_status.ACTIONS]
    return {action.name: action for action in declared}


def vpc_actions() -> dict[str, Action]:
    """The VPC product's actions by name; a module per resource (vSwitches, route tables
    and tags of VPC resources join them as modules of their own)."""
    declared = [*vpc_regions.ACTIONS, *vpcs.ACTIONS, *vswitches.ACTIONS, *route_tables.ACTIONS,
                *vpc_tags.ACTIONS]
    return {action.name: action for action in declared}


def all_products() -> tuple[Product, ...]:
    """Every product the endpoint answers, ECS first; fresh per emulator."""
    return (Product("Ecs", API_VERSION, "ecs", all_actions()),
            Product("Vpc", VPC_API_VERSION, "vpc", vpc_actions()))
