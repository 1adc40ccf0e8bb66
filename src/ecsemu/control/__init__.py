"""The emulator's own endpoints under ``/_ecsemu/``: loopback callers only.

They reach what the public API cannot: the clock in manual mode, a clean slate, the
conditions outside any API call (a security or financial lock on an instance, a snapshot
that stays in progress or was made long ago), and the bytes of disks.

    GET    /_ecsemu/health
    POST   /_ecsemu/reset
    POST   /_ecsemu/clock/advance                  {"seconds": N}
    POST   /_ecsemu/instances/{InstanceId}/locks   {"LockReason": "security" | "financial"}
    DELETE /_ecsemu/instances/{InstanceId}/locks/{reason}
    PATCH  /_ecsemu/snapshots/{SnapshotId}         {"CreationTime": "…Z"} and/or {"Hold": true|false}
    GET    /_ecsemu/disks/{DiskId}/data?offset=O&length=L
    PUT    /_ecsemu/disks/{DiskId}/data?offset=O   (body: the bytes)
    POST   /_ecsemu/disks/{DiskId}/export          {"Path": "/…", "Format": "raw" | "qcow2"}
    POST   /_ecsemu/images/import                  {"Path": "/…", "ImageName": …, "OSType": …, …}
"""

from __future__ import annotations

from starlette.routing import Route

from ..emulator import Emulator
from .disk_bytes import disk_bytes_routes
from .state import state_routes


def control_routes(emulator: Emulator) -> list[Route]:
    return [*state_routes(emulator), *disk_bytes_routes(emulator)]
