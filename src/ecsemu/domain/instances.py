"""Instance rules: which status each action needs (spec C1), locks, names."""

from __future__ import annotations

import re

# Allowed-state matrix, C1.
STARTABLE = ("Stopped",)
STOPPABLE = ("Running",)
REBOOTABLE = ("Running",)
DELETABLE = ("Stopped",)
FORCE_DELETABLE = ("Running", "Stopping", "Starting")  # DeleteInstance Force=true, besides Stopped
DISK_ATTACHABLE = ("Running", "Stopped")  # AttachDisk, DetachDisk (data), ResizeDisk, CreateSnapshot
SYSTEM_DISK_DETACHABLE = ("Stopped",)
REINITIALISABLE = ("Stopped",)           # ReInitDisk, ResetDisk, ReplaceSystemDisk
TYPE_CHANGEABLE = ("Stopped",)           # ModifyInstanceSpec's InstanceType; ModifyPrepayInstanceSpec downgrades
BANDWIDTH_CHANGEABLE = ("Running", "Stopped")   # ModifyInstanceSpec's bandwidth
PREPAY_UPGRADABLE = ("Running", "Stopped")      # ModifyPrepayInstanceSpec upgrades
CHARGE_TYPE_CHANGEABLE = ("Running", "Stopped")  # ModifyInstanceChargeType
PUBLIC_IP_ALLOCATABLE = ("Running", "Stopped")   # AllocatePublicIpAddress
DISK_SPEC_CHANGEABLE = ("Running", "Stopped")    # ModifyDiskSpec, of an attached disk
ONLINE_RESIZABLE = ("Running",)                  # ResizeDisk Type=online, of an attached disk

LOCK_REASONS = ("financial", "security")
LOCK_MESSAGES = {
    "financial": "The specified instance is locked due to financial reason.",
    "security": "The specified instance is locked due to security reason.",
}

_NAME = re.compile(r"[A-Za-z\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff._:\-]{1,127}")
_LINUX_HOST = re.compile(r"(?!.*(\.\.|--|\.-|-\.))[A-Za-z0-9](?:[A-Za-z0-9.-]{0,62}[A-Za-z0-9])")
_WINDOWS_HOST = re.compile(r"(?![0-9]+$)[A-Za-z0-9-]{2,15}")


def valid_name(name: str) -> bool:
    """InstanceName, DiskName, SnapshotName…: 2-128 characters, starting with a letter, no
    http:// or https:// prefix."""
    return bool(_NAME.fullmatch(name)) and not name.startswith(("http://", "https://"))


def valid_description(text: str) -> bool:
    return 2 <= len(text) <= 256 and not text.startswith(("http://", "https://"))


def valid_host_name(host: str, *, windows: bool) -> bool:
    if windows:
        return bool(_WINDOWS_HOST.fullmatch(host))
    return 2 <= len(host) <= 64 and bool(_LINUX_HOST.fullmatch(host))


def default_host_name(instance_id: str) -> str:
    """Real instances are named ``iZ<id without the i->Z``."""
    return f"iZ{instance_id[2:]}Z"


def serial_number(instance_id: str) -> str:
    """The instance's serial number (DescribeInstances' ``SerialNumber``, the metadata's
    ``serial-number``), shaped like the real UUID-like one and derived from its ID."""
    return f"{instance_id[2:10]}-{instance_id[10:14]}-{instance_id[14:18]}"
