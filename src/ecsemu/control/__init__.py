"""The emulator's own endpoints under ``/_ecsemu/``: for the local user only.

They reach what the public API cannot: the clock in manual mode, a clean slate, the
conditions outside any API call (a security or financial lock on an instance, a snapshot
that stays in progress or was made long ago), and the bytes of disks.

Who may call them (guard.py, docs/security.md): loopback peers, with a loopback ``Host``
(or the ``--host`` served), never a cross-site request from a browser when it changes
state, POST and PATCH with ``Content-Type: application/json`` only, and with
``--control-token`` an ``Authorization: Bearer TOKEN`` header. Bodies are bounded (JSON:
1 MiB; disk data: 64 MiB, streamed), and bad input is a 4xx JSON error, never a 500.

    GET    /_ecsemu/health
    GET    /_ecsemu/metrics                        (the Prometheus text format)
    GET    /_ecsemu/web/traffic.json               (calls and errors, for the console: a page's, no token)
    POST   /_ecsemu/reset
    POST   /_ecsemu/clock/advance                  {"seconds": N}
    POST   /_ecsemu/instances/{InstanceId}/locks   {"LockReason": "security" | "financial"}
    DELETE /_ecsemu/instances/{InstanceId}/locks/{reason}
    PATCH  /_ecsemu/snapshots/{SnapshotId}         {"CreationTime": "…Z"} and/or {"Hold": true|false}
    GET    /_ecsemu/disks/{DiskId}/data?offset=O&length=L
    PUT    /_ecsemu/disks/{DiskId}/data?offset=O   (body: the bytes)
    POST   /_ecsemu/disks/{DiskId}/export          {"Path": "…", "Format": "raw" | "qcow2", "Overwrite": false}
    POST   /_ecsemu/images/import                  {"Path": "…", "ImageName": …, "OSType": …, …}
    GET    /_ecsemu/throttle
    PUT    /_ecsemu/throttle                       {"Limits": [{"Action": "Describe*", "Rate": 20}, …]}
    POST   /_ecsemu/faults                         a fault rule (faults.py); GET lists them,
    DELETE /_ecsemu/faults[/{RuleId}]              DELETE clears them all or one
    GET    /_ecsemu/metadata/{InstanceId}/latest/…  the instance's metadata service (metadata.py);
    PUT    /_ecsemu/metadata/{InstanceId}/latest/api/token   its token API

``Path`` is relative to the files dir (``--files-dir``, listed by health as ``FilesDir``):
nothing outside it is read or written (storage/files.py).
"""

from __future__ import annotations

from starlette.routing import Route

from ..emulator import Emulator
from .disk_bytes import disk_bytes_routes
from .faults import fault_routes
from .metadata import metadata_routes
from .metrics import metrics_routes
from .state import state_routes
from .throttle import throttle_routes


def control_routes(emulator: Emulator) -> list[Route]:
    return [*state_routes(emulator), *disk_bytes_routes(emulator), *throttle_routes(emulator),
            *fault_routes(emulator), *metrics_routes(emulator),
            *metadata_routes(emulator)]
