"""Custom image rules: names, platforms, architectures, disk device mappings (spec B22-B24, C4)."""

from __future__ import annotations

import re

from . import instances as naming
from .disks import DATA_DEVICES, SYSTEM_DEVICE
from .status import IMAGE_SETTABLE

ARCHITECTURES = ("x86_64", "arm64", "i386")
DEFAULT_PLATFORM = "Others Linux"
OWNER_ALIASES = ("system", "self", "others", "marketplace")
OS_TYPES = ("windows", "linux")
IMAGE_USAGES = ("instance", "none")
MAX_DATA_MAPPINGS = len(DATA_DEVICES)
BOOT_MODES = ("BIOS", "UEFI", "UEFI-Preferred")
LICENSE_TYPES = ("Auto", "Aliyun", "BYOL")
NVME_SUPPORT = ("supported", "unsupported")
IMDS_SUPPORT = ("v1", "v2")
LAUNCHABLE = IMAGE_SETTABLE   # Available, and Deprecated: it still makes instances (ModifyImageAttribute)

# The Platform values CreateImage takes (the console's list); any other is malformed.
PLATFORMS = (
    "Aliyun", "Anolis", "CentOS", "CentOS Stream", "Ubuntu", "Debian", "SUSE", "OpenSUSE", "RedHat", "CoreOS",
    "FreeBSD", "Fedora", "Gentoo", "Rocky Linux", "AlmaLinux", "Kylin", "UOS", "openEuler", "Alibaba Cloud Linux",
    "Customized Linux", "Others Linux",
    "Windows Server 2003", "Windows Server 2008", "Windows Server 2012", "Windows Server 2016",
    "Windows Server 2019", "Windows Server 2022", "Windows Server 2025", "Windows 7", "Windows 10", "Windows 11",
)
_PLATFORMS_LOWER = {p.lower(): p for p in PLATFORMS}

# Data disk devices: /dev/xvdb … /dev/xvdz (B22).
_DEVICE = re.compile(r"/dev/xvd[a-z]")


def valid_image_name(name: str) -> bool:
    """2-128 characters, starting with a letter (or CJK character), no ``http(s)://``, not
    ``aliyun…`` nor ``acs:…``. An image family's name follows the same rule."""
    return naming.valid_name(name) and not name.lower().startswith(("aliyun", "acs:"))


def imds_change_allowed(current: str, wanted: str) -> bool:
    """ImdsSupport goes from v1 to v2, never back (ModifyImageAttribute)."""
    return not (current == "v2" and wanted == "v1")


def canonical_platform(text: str) -> str | None:
    """The platform as the API spells it, matched without regard to case; None if unknown."""
    return _PLATFORMS_LOWER.get(text.lower())


def default_platform(os_type: str | None) -> str:
    """The platform of an image whose source says none: Others Linux (B22), or the newest
    Windows Server for a Windows source."""
    return "Windows Server 2022" if os_type == "windows" else DEFAULT_PLATFORM


def os_type_of_platform(platform: str) -> str:
    return "windows" if platform.lower().startswith("windows") else "linux"


def os_names(platform: str, architecture: str) -> tuple[str, str]:
    """``OSName``/``OSNameEn`` of a custom image whose source says nothing better."""
    bits = "32" if architecture == "i386" else "64"
    return f"{platform} {bits}位", f"{platform} {bits} bit"


def valid_device(device: str, *, system: bool) -> bool:
    if not _DEVICE.fullmatch(device):
        return False
    return (device == SYSTEM_DEVICE) == system


def next_data_device(used: set[str]) -> str | None:
    return next((d for d in (*DATA_DEVICES, *(f"/dev/xvd{c}" for c in "rstuvwxyz")) if d not in used), None)


def blank_mapping_size_range() -> tuple[int, int]:
    """A data mapping without a snapshot (an empty disk): 20-32768 GiB, default 20."""
    return 20, 32768
