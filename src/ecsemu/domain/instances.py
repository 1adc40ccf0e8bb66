"""Instance rules: which status each action needs (spec C1), locks, names."""

from __future__ import annotations

import re

# Allowed-state matrix, C1.
STARTABLE = ("Stopped",)
STOPPABLE = ("Running",)
REBOOTABLE = ("Running",)
DELETABLE = ("Stopped",)                 # any status with Force=true
DISK_ATTACHABLE = ("Running", "Stopped")  # AttachDisk, DetachDisk (data), ResizeDisk, CreateSnapshot
SYSTEM_DISK_DETACHABLE = ("Stopped",)
REINITIALISABLE = ("Stopped",)           # ReInitDisk, ResetDisk, ReplaceSystemDisk

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


def primary_eni_id(instance_id: str) -> str:
    """The ID of the instance's primary network interface: its own, ``eni-`` for ``i-``."""
    return f"eni-{instance_id[2:]}"


def instance_of_primary_eni(eni_id: str) -> str | None:
    """The instance whose primary network interface has that ID, None if none could."""
    return f"i-{eni_id[4:]}" if eni_id.startswith("eni-") and len(eni_id) > 4 else None
