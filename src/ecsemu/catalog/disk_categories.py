"""Cloud disk categories a zone offers for system and data disks."""

SYSTEM_DISK_CATEGORIES: tuple[str, ...] = ("cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto")
DATA_DISK_CATEGORIES: tuple[str, ...] = ("cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto")
