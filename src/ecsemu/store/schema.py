"""The tables, as SQLAlchemy Core metadata. Alembic migrations (store/migrations) create
them; a test checks that the migrations and this file agree.

Times are seconds since the epoch (float) from the emulator's clock. Every resource row
carries ``account_id`` and ``region_id``; lookups by ID are scoped to the account, since
IDs are unique across regions. Lists are ordered by (created_at, id), which the
``ix_<table>_listing`` indexes serve, for both paging styles.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

ID = String(64)
NAME = String(128)
DESCRIPTION = String(256)
RESOURCE_GROUP_ID = String(64)


def _owned(name: str, *columns, listing: bool = True) -> Table:
    """A table of resources owned by an account, in a region, each in a resource group or
    none ("", domain/resource_groups.py)."""
    table = Table(
        name, metadata,
        *columns,
        Column("account_id", String(32), nullable=False),
        Column("region_id", String(32), nullable=False),
        Column("created_at", Float, nullable=False),
        Column("resource_group_id", RESOURCE_GROUP_ID, nullable=False, default=""),
    )
    if listing:
        Index(f"ix_{name}_listing", table.c.account_id, table.c.region_id, table.c.created_at, table.c.id)
    return table


instances = _owned(
    "instances",
    Column("id", ID, primary_key=True),
    Column("zone_id", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("instance_type", String(64), nullable=False),
    Column("image_id", String(128), nullable=False),
    Column("os_type", String(16), nullable=False),
    Column("instance_name", NAME, nullable=False),
    Column("description", DESCRIPTION, nullable=False, default=""),
    Column("host_name", String(64), nullable=False),
    Column("start_time", Float),                  # last time it went Running; None: never started
    Column("charge_type", String(16), nullable=False),
    Column("internet_charge_type", String(16), nullable=False),
    Column("internet_max_bandwidth_out", Integer, nullable=False),
    Column("public_ip", String(45)),
    Column("vpc_id", ID, nullable=False),
    Column("vswitch_id", ID, nullable=False),
    Column("private_ip", String(45), nullable=False),
    Column("security_group_ids", JSON, nullable=False, default=list),
    Column("key_pair_name", NAME),
    Column("password_hash", String(256)),
    Column("user_data", Text),
    Column("deletion_protection", Boolean, nullable=False, default=False),
    Column("spot_strategy", String(32), nullable=False, default="NoSpot"),
    Column("stopped_mode", String(32), nullable=False, default="Not-applicable"),
    Column("ram_role_name", String(64)),                  # the instance RAM role; None: none
    # Maintenance: one window (UTC+8 "HH:00:00"; None: none set), the action, the notice.
    Column("maintenance_start", String(8)),
    Column("maintenance_end", String(8)),
    Column("maintenance_action", String(16), nullable=False, default="AutoRecover"),
    Column("notify_on_maintenance", Boolean, nullable=False, default=False),
    # Subscription renewal: AutoRenewal, Normal or NotRenewal, every duration period_unit.
    Column("renewal_status", String(16), nullable=False, default="Normal"),
    Column("renewal_duration", Integer, nullable=False, default=0),
    Column("renewal_period_unit", String(8), nullable=False, default="Month"),
    Column("private_pool_match_criteria", String(8), nullable=False, default="None"),  # Open, None
    Column("expired_at", Float),                  # PrePaid: when the subscription ends; None: PostPaid
    Column("internet_max_bandwidth_in", Integer),  # Mbit/s; None: the default (see the view)
    # ModifyPrepayInstanceSpec downgrades made: a subscription allows three (refunds).
    Column("spec_downgrades", Integer, nullable=False, default=0, server_default="0"),
    # Metadata options (domain/metadata_options.py): HttpEndpoint, HttpTokens, the hop limit.
    Column("metadata_http_endpoint", String(8), nullable=False, default="enabled", server_default="enabled"),
    Column("metadata_http_tokens", String(8), nullable=False, default="optional", server_default="optional"),
    Column("metadata_hop_limit", Integer, nullable=False, default=1, server_default="1"),
)

instance_locks = Table(
    "instance_locks", metadata,
    Column("instance_id", ID, primary_key=True),
    Column("reason", String(32), primary_key=True),   # financial, security
    Column("created_at", Float, nullable=False),
)

disks = _owned(
    "disks",
    Column("id", ID, primary_key=True),
    Column("zone_id", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("disk_type", String(8), nullable=False),      # system, data
    Column("category", String(40), nullable=False),
    Column("performance_level", String(4)),
    Column("size", Integer, nullable=False),             # GiB
    Column("instance_id", ID),
    Column("device", String(32)),
    Column("delete_with_instance", Boolean, nullable=False),
    Column("delete_auto_snapshot", Boolean, nullable=False, default=True),
    Column("portable", Boolean, nullable=False),
    Column("encrypted", Boolean, nullable=False, default=False),
    Column("charge_type", String(16), nullable=False, default="PostPaid"),
    Column("source_image_id", String(128)),                # system disks: the image it was made from
    Column("source_snapshot_id", ID),                      # disks made from a snapshot
    Column("disk_name", NAME, nullable=False, default=""),
    Column("description", DESCRIPTION, nullable=False, default=""),
    Column("attached_at", Float),
    Column("detached_at", Float),
    Column("ever_attached", Boolean, nullable=False, default=False),
    Column("base_layer_id", String(200)),                  # the layer its bytes sit on (None: zeros)
    # ModifyDiskAttribute's flags (recorded: no automatic snapshot policy or burst is emulated)
    Column("enable_auto_snapshot", Boolean, nullable=False, default=True),
    Column("bursting_enabled", Boolean, nullable=False, default=False),
    Column("charge_type_changed_at", Float),               # ModifyDiskChargeType's last change (None: never)
    Column("auto_snapshot_policy_id", ID),                 # ApplyAutoSnapshotPolicy; None: none
    UniqueConstraint("instance_id", "device", name="uq_disks_device"),
)
Index("ix_disks_instance", disks.c.instance_id)
Index("ix_disks_auto_snapshot_policy", disks.c.auto_snapshot_policy_id)
Index("ix_disks_base_layer", disks.c.base_layer_id)

snapshots = _owned(
    "snapshots",
    Column("id", ID, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("snapshot_name", NAME, nullable=False, default=""),
    Column("description", DESCRIPTION, nullable=False, default=""),
    Column("source_disk_id", ID, nullable=False),
    Column("source_disk_type", String(8), nullable=False),
    Column("source_disk_size", Integer, nullable=False),
    Column("source_disk_category", String(40), nullable=False),
    Column("completes_at", Float, nullable=False),   # when progressing reaches 100%
    Column("hold", Boolean, nullable=False, default=False),  # control plane: stay progressing
    Column("retention_days", Integer),
    Column("expires_at", Float),                     # released automatically then (RetentionDays)
    Column("layer_id", String(200)),                 # its frozen bytes (None: all zeros)
    # CopySnapshot: the snapshot this one is a copy of, and that one's region (None: not a copy)
    Column("source_snapshot_id", ID),
    Column("source_region_id", String(32)),
    Column("snapshot_type", String(8), nullable=False, default="user"),  # user, or auto (a policy's)
    Column("auto_snapshot_policy_id", ID),           # auto: the policy that took it
)
Index("ix_snapshots_layer", snapshots.c.layer_id)
Index("ix_snapshots_disk", snapshots.c.source_disk_id)
Index("ix_snapshots_expiry", snapshots.c.expires_at)

# An automatic snapshot policy: when it fires (UTC+8 hours and ISO weekdays, JSON lists of
# ints), how long its snapshots are kept (-1: until deleted), and the cross-region copy
# settings it records. ``next_fire_at``: its next time point, a due time like a transition's.
auto_snapshot_policies = _owned(
    "auto_snapshot_policies",
    Column("id", ID, primary_key=True),
    Column("policy_name", NAME, nullable=False, default=""),
    Column("time_points", JSON, nullable=False),
    Column("repeat_weekdays", JSON, nullable=False),
    Column("retention_days", Integer, nullable=False),
    Column("enable_cross_region_copy", Boolean, nullable=False, default=False),
    Column("target_copy_regions", JSON, nullable=False, default=list),
    Column("copied_snapshots_retention_days", Integer, nullable=False, default=-1),
    Column("copy_encrypted", Boolean, nullable=False, default=False),
    Column("copy_kms_key_id", String(128), nullable=False, default=""),
    Column("next_fire_at", Float, nullable=False),
)
Index("ix_auto_snapshot_policies_due", auto_snapshot_policies.c.next_fire_at)

# What became of a snapshot that is gone, for the disks made from it: "deleted" by
# DeleteSnapshot, or "expired" when its RetentionDays ran out (ReInitDisk answers each
# differently).
released_snapshots = Table(
    "released_snapshots", metadata,
    Column("id", ID, primary_key=True),
    Column("account_id", String(32), nullable=False),
    Column("reason", String(16), nullable=False),
    Column("released_at", Float, nullable=False),
)

images = _owned(
    "images",
    Column("id", ID, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("image_name", NAME, nullable=False),
    Column("description", DESCRIPTION, nullable=False, default=""),
    Column("os_type", String(16), nullable=False),
    Column("platform", String(64), nullable=False),
    Column("os_name", String(128), nullable=False),
    Column("architecture", String(16), nullable=False),
    Column("size", Integer, nullable=False),                  # GiB
    Column("source_snapshot_id", ID),
    Column("source_instance_id", ID),
    Column("disk_device_mappings", JSON, nullable=False, default=list),
    Column("completes_at", Float, nullable=False),
    Column("layer_id", String(200)),                 # the system disk's bytes
    # Recorded as CreateImage or ModifyImageAttribute set them, and read back by DescribeImages.
    Column("image_family", NAME, nullable=False, default=""),
    Column("image_version", String(40), nullable=False, default=""),
    Column("boot_mode", String(16), nullable=False, default="BIOS"),
    Column("license_type", String(16), nullable=False, default="Auto"),
    Column("nvme_support", String(16), nullable=False, default="supported"),
    Column("imds_support", String(8), nullable=False, default="v2"),
    Column("copied_from", ID),                       # CopyImage: the source image (None: not a copy)
)
Index("ix_images_layer", images.c.layer_id)

# The accounts a custom image is shared with (ModifyImageSharePermission): each sees it as
# ImageOwnerAlias=others in the image's region and may launch from it while it is shared.
image_shares = Table(
    "image_shares", metadata,
    Column("image_id", ID, primary_key=True),
    Column("account_id", String(32), primary_key=True),   # the account it is shared with
    Column("created_at", Float, nullable=False),
)
Index("ix_image_shares_account", image_shares.c.account_id)

# Asynchronous tasks of ImportImage and ExportImage (DescribeTasks, DescribeTaskAttribute):
# Processing, then Finished (or Failed) by the task status machine.
tasks = Table(
    "tasks", metadata,
    Column("id", ID, primary_key=True),                   # t-...
    Column("account_id", String(32), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("task_action", String(32), nullable=False),    # ImportImage, ExportImage
    Column("resource_id", ID, nullable=False),            # the image
    Column("status", String(16), nullable=False),
    Column("completes_at", Float, nullable=False),        # when Processing reaches 100%
    Column("related_items", JSON, nullable=False, default=dict),  # OperationProgress's RelatedItemSet
)
Index("ix_tasks_listing", tasks.c.account_id, tasks.c.region_id, tasks.c.created_at, tasks.c.id)

# Immutable layers of disk bytes (storage/), other than public images'. A qcow2 layer
# backs onto its parent; a layer goes when no disk, snapshot, image or layer refers to it.
layers = Table(
    "layers", metadata,
    Column("id", String(200), primary_key=True),
    Column("parent_id", String(200)),
    Column("created_at", Float, nullable=False),
)
Index("ix_layers_parent", layers.c.parent_id)

key_pairs = Table(
    "key_pairs", metadata,
    Column("account_id", String(32), primary_key=True),
    Column("region_id", String(32), primary_key=True),
    Column("name", NAME, primary_key=True),
    Column("fingerprint", String(128), nullable=False),
    Column("public_key", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("resource_group_id", RESOURCE_GROUP_ID, nullable=False, default=""),
)

security_groups = _owned(
    "security_groups",
    Column("id", ID, primary_key=True),
    Column("vpc_id", ID, nullable=False),
    Column("security_group_name", NAME, nullable=False, default=""),
    Column("description", DESCRIPTION, nullable=False, default=""),
    Column("security_group_type", String(16), nullable=False, default="normal"),
    # Whether the group's instances reach one another: Accept (normal groups) or Drop.
    Column("inner_access_policy", String(8), nullable=False, default="Accept", server_default="Accept"),
)

# A security group's rules. Text fields hold what the request sent ("" when not sent), so
# that a Describe gives back exactly what was authorized; a rule has one source (ingress)
# or destination (egress): a CIDR, a group or a prefix list.
security_group_rules = Table(
    "security_group_rules", metadata,
    Column("id", ID, primary_key=True),                    # sgr-...
    Column("security_group_id", ID, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("direction", String(8), nullable=False),        # ingress, egress
    Column("ip_protocol", String(8), nullable=False),      # lower case: tcp, udp, icmp, icmpv6, gre, all
    Column("port_range", String(16), nullable=False),
    Column("source_port_range", String(16), nullable=False),
    Column("nic_type", String(8), nullable=False),
    Column("policy", String(8), nullable=False),           # lower case: accept, drop
    Column("priority", Integer, nullable=False),
    Column("source_cidr_ip", String(64), nullable=False),
    Column("ipv6_source_cidr_ip", String(64), nullable=False),
    Column("source_group_id", ID, nullable=False),
    Column("source_group_owner_account", NAME, nullable=False),
    Column("source_group_owner_id", String(32), nullable=False),
    Column("source_prefix_list_id", ID, nullable=False),
    Column("dest_cidr_ip", String(64), nullable=False),
    Column("ipv6_dest_cidr_ip", String(64), nullable=False),
    Column("dest_group_id", ID, nullable=False),
    Column("dest_group_owner_account", NAME, nullable=False),
    Column("dest_group_owner_id", String(32), nullable=False),
    Column("dest_prefix_list_id", ID, nullable=False),
    Column("description", String(512), nullable=False),
)
Index("ix_security_group_rules_group", security_group_rules.c.security_group_id, security_group_rules.c.created_at)
Index("ix_security_group_rules_source_group", security_group_rules.c.source_group_id)
Index("ix_security_group_rules_dest_group", security_group_rules.c.dest_group_id)

vpcs = _owned(
    "vpcs",
    Column("id", ID, primary_key=True),
    Column("cidr_block", String(43), nullable=False),
    Column("is_default", Boolean, nullable=False),
    # Pending -> Available (domain/status.py VPC); the default VPC is made Available.
    Column("status", String(16), nullable=False, default="Available", server_default="Available"),
    Column("vpc_name", NAME, nullable=False, default="", server_default=""),
    Column("description", DESCRIPTION, nullable=False, default="", server_default=""),
    # Its System route table (domain/vpcs.py route_table_id): what ModifyRouteTableAttributes sets.
    Column("route_table_name", NAME, nullable=False, default="", server_default=""),
    Column("route_table_description", DESCRIPTION, nullable=False, default="", server_default=""),
    listing=False,
)

vswitches = _owned(
    "vswitches",
    Column("id", ID, primary_key=True),
    Column("vpc_id", ID, nullable=False),
    Column("zone_id", String(32), nullable=False),
    Column("cidr_block", String(43), nullable=False),
    Column("is_default", Boolean, nullable=False),
    Column("next_host", Integer, nullable=False, default=1),   # private IPs handed out in order
    # Pending -> Available (domain/status.py VSWITCH); the default vSwitches are made Available.
    Column("status", String(16), nullable=False, default="Available", server_default="Available"),
    Column("vswitch_name", NAME, nullable=False, default="", server_default=""),
    Column("description", DESCRIPTION, nullable=False, default="", server_default=""),
    listing=False,
)

# What the emulator did to each instance (domain/instance_events.py): its system events and
# the lines of its boot log. Kept after the instance is released, as history.
instance_events = Table(
    "instance_events", metadata,
    Column("id", ID, primary_key=True),
    Column("account_id", String(32), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("created_at", Float, nullable=False),          # published
    Column("instance_id", ID, nullable=False),
    Column("happening", String(16), nullable=False),
    Column("event_type", String(32)),                      # None: a line of the boot log only
    Column("not_before", Float, nullable=False),          # begins
    Column("finished_at", Float, nullable=False),         # ends
    Column("disk_id", ID),
    Column("device", String(32)),
)
Index("ix_instance_events_listing", instance_events.c.account_id, instance_events.c.region_id,
      instance_events.c.created_at, instance_events.c.id)
Index("ix_instance_events_instance", instance_events.c.instance_id, instance_events.c.created_at)

# Secondary elastic network interfaces (an instance's primary one is its instances row, see
# domain/network_interfaces.py). ``instance_id``/``device_index``: where it is attached.
network_interfaces = _owned(
    "network_interfaces",
    Column("id", ID, primary_key=True),
    Column("zone_id", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("vpc_id", ID, nullable=False),
    Column("vswitch_id", ID, nullable=False),
    Column("private_ip", String(45), nullable=False),          # the primary private IP
    Column("network_interface_name", NAME, nullable=False, default=""),
    Column("description", DESCRIPTION, nullable=False, default=""),
    Column("security_group_ids", JSON, nullable=False, default=list),
    Column("instance_id", ID),
    Column("device_index", Integer),
    Column("queue_number", Integer),                           # None: the instance type's default
    Column("traffic_mode", String(16), nullable=False, default="Standard"),
    Column("delete_on_release", Boolean, nullable=False, default=True),
    Column("source_dest_check", Boolean, nullable=False, default=False),
)
Index("ix_network_interfaces_instance", network_interfaces.c.instance_id)

# The secondary private IPs of every ENI, primary ones (named by their derived ID) and
# secondary ones alike; an address is held once in its vSwitch.
secondary_private_ips = Table(
    "secondary_private_ips", metadata,
    Column("network_interface_id", ID, primary_key=True),
    Column("private_ip", String(45), primary_key=True),
    Column("vswitch_id", ID, nullable=False),
    Column("created_at", Float, nullable=False),
    UniqueConstraint("vswitch_id", "private_ip", name="uq_secondary_private_ips_address"),
)

# Tags of every resource, by its ID (key pairs by ``keypair:<account>:<region>:<name>``).
resource_tags = Table(
    "resource_tags", metadata,
    Column("resource_id", String(300), primary_key=True),
    Column("tag_key", NAME, primary_key=True),
    Column("tag_value", NAME, nullable=False),
)
Index("ix_resource_tags_key", resource_tags.c.tag_key, resource_tags.c.tag_value)

# Timed status changes (the scheduler): applied when due, by whichever process gets there
# first. The move happens only while the resource is still in ``expect`` and its columns
# match ``guard``; ``assign`` sets other columns with it.
transitions = Table(
    "transitions", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("resource", String(16), nullable=False),     # a status machine's name
    Column("resource_id", ID, nullable=False),
    Column("expect", String(16), nullable=False),
    Column("target", String(16), nullable=False),
    Column("guard", JSON, nullable=False, default=dict),
    Column("assign", JSON, nullable=False, default=dict),
    Column("due_at", Float, nullable=False),
)
Index("ix_transitions_due", transitions.c.due_at)
Index("ix_transitions_resource", transitions.c.resource_id)

# Signature nonces seen, kept while the request's timestamp could still be accepted: a
# replay is refused after a restart and by every process sharing the database.
signature_nonces = Table(
    "signature_nonces", metadata,
    Column("account_id", String(32), primary_key=True),
    Column("nonce", String(128), primary_key=True),
    Column("expires_at", Float, nullable=False),
)
Index("ix_signature_nonces_expiry", signature_nonces.c.expires_at)

# Fault rules (domain/faults.py): the rule as JSON, and the counts every process shares.
# ``remaining`` is the uses left (NULL: until cleared), taken one at a time by a
# conditional update, so "the next N calls" is exact whichever process answers them.
fault_rules = Table(
    "fault_rules", metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", Float, nullable=False),   # real time: the order rules are tried in
    Column("rule", JSON, nullable=False),
    Column("remaining", BigInteger, nullable=True),
    Column("matches", BigInteger, nullable=False, default=0),
    Column("injected", BigInteger, nullable=False, default=0),
)
# ClientTokens sent with the actions that take one (idempotency.py), per account, kept for
# the window a retry may come in. ``state``: processing (claimed by the request ``owner``),
# applied (its change committed, in the same transaction as this state), done (``answer``:
# what to send again, JSON). ``fingerprint``: the hash of the first request's parameters.
client_tokens = Table(
    "client_tokens", metadata,
    Column("account_id", String(32), primary_key=True),
    Column("token", String(64), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("owner", String(36), nullable=False),
    Column("state", String(16), nullable=False),
    Column("answer", Text),
    Column("expires_at", Float, nullable=False),
)
Index("ix_client_tokens_expiry", client_tokens.c.expires_at)

# How many rows disks and instances hold for each (account, region), for TotalCount of an
# unfiltered listing without counting its rows. SQLite only: triggers (migration 0003) keep
# it in the same transaction as every insert and delete (SQLite has one writer at a time, so
# a counter row costs no contention). On PostgreSQL it stays empty: a counter row would
# serialise every create and delete in a region, and its lock could deadlock against the
# rows a change locks; there TotalCount is an index-only count (see store/counts.py).
resource_counts = Table(
    "resource_counts", metadata,
    Column("table_name", String(32), primary_key=True),
    Column("account_id", String(32), primary_key=True),
    Column("region_id", String(32), primary_key=True),
    Column("n", BigInteger, nullable=False),
)

RESOURCE_TABLES = {"instance": instances, "disk": disks, "snapshot": snapshots, "image": images, "task": tasks,
                   "eni": network_interfaces, "vpc": vpcs, "vswitch": vswitches}

# Who this database is to storage others share (--storage rbd): one row, made at the first
# start that needs it. ``rbd_namespace``: the RBD namespace holding this database's disks and
# layers in a pool several databases may share (storage/rbd.py), so that each start
# reconciles only its own objects.
storage_identity = Table(
    "storage_identity", metadata,
    Column("id", Integer, primary_key=True),
    Column("rbd_namespace", String(64), nullable=False),
)

# The key that signs instance metadata tokens (guest/metadata_tokens.py): one row, made at
# the first token, kept with the state so that every process and a restart verify the same.
metadata_token_key = Table(
    "metadata_token_key", metadata,
    Column("id", Integer, primary_key=True),
    Column("secret", String(64), nullable=False),
)
# Cloud Assistant (actions/commands.py, actions/invocations.py). A command: its content as
# base64, its {{parameter}} names (JSON list); ``kept`` False for the one a RunCommand makes
# without KeepCommand, which no listing shows.
commands = _owned(
    "commands",
    Column("id", ID, primary_key=True),
    Column("name", NAME, nullable=False),
    Column("description", String(512), nullable=False, default=""),
    Column("type", String(32), nullable=False),
    Column("content", Text, nullable=False),
    Column("working_dir", String(256), nullable=False, default=""),
    Column("timeout", BigInteger, nullable=False),
    Column("enable_parameter", Boolean, nullable=False, default=False),
    Column("parameter_names", Text, nullable=False, default="[]"),
    Column("kept", Boolean, nullable=False, default=True),
    Column("invoke_times", Integer, nullable=False, default=0),
)

# An invocation (InvokeId t-…): what was run, as it was asked for; ``content`` with the
# custom parameters put in (base64), ``parameters`` as given (JSON object).
invocations = _owned(
    "invocations",
    Column("id", ID, primary_key=True),
    Column("command_id", ID, nullable=False),
    Column("command_name", NAME, nullable=False),
    Column("command_type", String(32), nullable=False),
    Column("command_description", String(512), nullable=False, default=""),
    Column("content", Text, nullable=False),
    Column("parameters", Text, nullable=False, default="{}"),
    Column("repeat_mode", String(16), nullable=False),
    Column("timeout", BigInteger, nullable=False),
    Column("working_dir", String(256), nullable=False),
    Column("username", String(256), nullable=False),
)

# One instance's part of an invocation: its InvocationStatus, as its agent reports it
# (domain/cloud_assistant.py, not a timed machine of domain/status.py), and once it
# ended its exit code, error, output (the last 24 KiB, base64) and the bytes cut before it.
invocation_results = Table(
    "invocation_results", metadata,
    Column("invoke_id", ID, primary_key=True),
    Column("instance_id", ID, primary_key=True),
    Column("account_id", String(32), nullable=False),
    Column("invocation_status", String(16), nullable=False),
    Column("exit_code", BigInteger),
    Column("error_code", String(64), nullable=False, default=""),
    Column("error_info", String(256), nullable=False, default=""),
    Column("output", Text, nullable=False, default=""),
    Column("dropped", Integer, nullable=False, default=0),
    Column("repeats", Integer, nullable=False, default=0),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("start_time", Float),
    Column("finish_time", Float),
    Column("stop_time", Float),
)
Index("ix_invocation_results_instance", invocation_results.c.account_id, invocation_results.c.instance_id)
Index("ix_invocation_results_status", invocation_results.c.invocation_status)
