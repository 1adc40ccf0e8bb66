"""Control endpoints over disk bytes: read and write a disk, export it to a file, import a
user's raw or qcow2 file as a custom image.

Storage work runs in a worker thread, so that a qemu-img call never stalls the server.
"""

from __future__ import annotations

import math
from contextlib import contextmanager

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..accounts import DEVELOPMENT_KEY_ID, KeyRing
from ..catalog.regions import DEFAULT_REGION_ID, REGIONS_BY_ID
from ..clock import utc_iso
from ..domain import images as image_rules
from ..domain.ids import new_id
from ..emulator import Emulator
from ..storage import StorageError
from ..storage.base import ImageRefused, StorageFull
from ..storage.files import DestinationExists, PathRefused, relative_parts
from ..store.rows import add
from ..store.schema import disks, images
from .guard import ControlError, endpoint, json_body, read_limited

GIB = 1024**3
MAX_TRANSFER = 64 * 1024**2   # bytes one read or write may move
MAX_DIGITS = 20               # of an offset or length: past any disk's end, and cheap to parse
WRITABLE = ("In_use", "Available")


def _offset_length(request: Request, *, length_required: bool) -> tuple[int, int | None]:
    def number(name: str) -> int | None:
        text = request.query_params.get(name)
        if text is None:
            return None
        if not (0 < len(text) <= MAX_DIGITS and text.isascii() and text.isdigit()):  # not "²", not 10**5000
            raise ControlError(400, "InvalidRange", f"{name} must be a whole number of bytes, 0 or more "
                                                    f"(at most {MAX_DIGITS} digits).")
        return int(text)
    offset = number("offset") or 0
    length = number("length")
    if length_required and length is None:
        raise ControlError(400, "InvalidRange", "Give length (bytes to read).")
    return offset, length


def _check_range(disk, offset: int, length: int) -> None:
    size = disk.size * GIB
    if length > MAX_TRANSFER:
        raise ControlError(400, "InvalidRange", f"At most {MAX_TRANSFER} bytes a request.")
    if offset + length > size:
        raise ControlError(400, "InvalidRange", f"Bytes {offset}-{offset + length} are past the end of "
                                                f"{disk.id}, which has {size} bytes ({disk.size} GiB).")


def disk_bytes_routes(emulator: Emulator) -> list[Route]:
    storage = emulator.storage

    def find_disk(conn, disk_id: str):
        disk = conn.execute(disks.select().where(disks.c.id == disk_id)).first()
        if disk is None:
            raise ControlError(404, "InvalidDiskId.NotFound", f"{disk_id} does not exist.")
        return disk

    async def read(request: Request) -> Response:
        offset, length = _offset_length(request, length_required=True)
        assert length is not None  # length_required

        def work() -> bytes:
            with emulator.unit_of_work() as conn:
                disk = find_disk(conn, request.path_params["disk_id"])
                _check_range(disk, offset, length)
                return storage.read(disk.id, disk.base_layer_id, offset, length)
        return Response(await _storage_call(work), media_type="application/octet-stream")

    async def write(request: Request) -> dict:
        offset, _ = _offset_length(request, length_required=False)
        # Streamed: refused (413) on a Content-Length past the limit before a byte is read,
        # or as soon as a chunked body passes it; never more than the limit in memory.
        data = await read_limited(request, MAX_TRANSFER, "A write")

        def work() -> dict:
            with emulator.unit_of_work() as conn:
                disk = find_disk(conn, request.path_params["disk_id"])
                _check_range(disk, offset, len(data))
                if disk.status not in WRITABLE:
                    raise ControlError(409, "IncorrectDiskStatus", f"{disk.id} is {disk.status}: it takes writes "
                                                                   "when In_use or Available.")
                storage.write(disk.id, disk.base_layer_id, disk.size * GIB, offset, data)
                return {"DiskId": disk.id, "Offset": offset, "Written": len(data),
                        "AllocatedBytes": storage.allocated_bytes(disk.id)}
        return await _storage_call(work)

    async def export(request: Request) -> dict:
        """Writes the disk to "Path" in the files dir, never over an existing file unless
        "Overwrite": true."""
        body = await json_body(request)
        path, fmt, overwrite = body.get("Path"), body.get("Format", "raw"), body.get("Overwrite", False)
        with _path_errors():
            relative_parts(emulator.files_dir, path)  # the text checks, before any work
        if not isinstance(fmt, str) or fmt not in ("raw", "qcow2"):
            raise ControlError(400, "InvalidFormat", '"Format" is raw or qcow2.')
        if not isinstance(overwrite, bool):
            raise ControlError(400, "InvalidOverwrite", '"Overwrite" is true or false.')

        def work() -> dict:
            with emulator.unit_of_work() as conn, _path_errors():
                disk = find_disk(conn, request.path_params["disk_id"])
                written = emulator.data.export_file(disk.id, disk.base_layer_id, disk.size, path, fmt, overwrite)
                return {"DiskId": disk.id, "Path": written, "FilesDir": str(emulator.files_dir), "Format": fmt,
                        "Size": disk.size * GIB}
        return await _storage_call(work)

    async def import_image(request: Request) -> dict:
        """Makes a custom image of the raw or qcow2 file "Path" names in the files dir."""
        body = await json_body(request)
        path = body.get("Path")
        with _path_errors():
            relative_parts(emulator.files_dir, path)  # the text checks, before any work
        name = body.get("ImageName")
        if not isinstance(name, str) or not image_rules.valid_image_name(name):
            raise ControlError(400, "InvalidImageName.Malformed", '"ImageName": 2-128 characters, starting '
                                                                  "with a letter.")
        os_type = body.get("OSType", "linux")
        if not isinstance(os_type, str) or os_type not in ("linux", "windows"):
            raise ControlError(400, "InvalidOSType", '"OSType" is linux or windows.')
        region_id = body.get("RegionId", DEFAULT_REGION_ID)
        if not isinstance(region_id, str) or region_id not in REGIONS_BY_ID:
            raise ControlError(404, "InvalidRegionId.NotFound", "The specified RegionId does not exist.")
        key_id = body.get("AccessKeyId", DEVELOPMENT_KEY_ID)
        if not isinstance(key_id, str) or not key_id:
            raise ControlError(400, "InvalidAccessKeyId", '"AccessKeyId" is the key of the account to own the image.')
        key = emulator.keys.get(key_id)
        account_id = key.account_id if key else KeyRing.account_for_unknown(key_id)
        image_id = new_id("m", region_id)
        layer_id = new_id("layer", region_id)

        def work() -> dict:
            with _path_errors():
                virtual, file_name = emulator.data.import_file(path, layer_id)
            size = max(1, math.ceil(virtual / GIB))
            platform = image_rules.default_platform(os_type)
            try:
                with emulator.unit_of_work() as conn:
                    now = emulator.clock.now()
                    emulator.data.record_import(conn, layer_id)
                    add(conn, images, id=image_id, account_id=account_id, region_id=region_id, created_at=now,
                        status="Available", image_name=name, description=f"Imported from {file_name}",
                        os_type=os_type, platform=platform, os_name=image_rules.os_names(platform, "x86_64")[0],
                        architecture="x86_64", size=size, source_snapshot_id=None, source_instance_id=None,
                        disk_device_mappings=[{"Device": "/dev/xvda", "Type": "system", "Size": size,
                                               "SnapshotId": ""}],
                        completes_at=now, layer_id=layer_id)
            except BaseException:
                emulator.data.drop_import(layer_id)  # no row owns it: not left for the next start's reconcile
                raise
            return {"ImageId": image_id, "RegionId": region_id, "Size": size, "OSType": os_type,
                    "CreationTime": utc_iso(now)}
        return await _storage_call(work)

    return [
        Route("/_ecsemu/disks/{disk_id}/data", endpoint(read), methods=["GET"]),
        Route("/_ecsemu/disks/{disk_id}/data", endpoint(write), methods=["PUT"]),
        Route("/_ecsemu/disks/{disk_id}/export", endpoint(export), methods=["POST"]),
        Route("/_ecsemu/images/import", endpoint(import_image), methods=["POST"]),
    ]


@contextmanager
def _path_errors():
    """Export's and import's refusals as control errors: a path the files dir does not
    allow, an existing destination, a file that may not become an image."""
    try:
        yield
    except DestinationExists as exc:
        raise ControlError(409, "FileAlreadyExists", str(exc)) from None
    except PathRefused as exc:
        raise ControlError(400, "InvalidPath", str(exc)) from None
    except ImageRefused as exc:
        raise ControlError(400, "InvalidImageFile", f"The file cannot be imported: {exc}.") from None


async def _storage_call(work):
    try:
        return await run_in_threadpool(work)
    except StorageFull as exc:
        raise ControlError(507, "InsufficientStorage", f"The emulator's data dir is out of space: {exc}") from None
    except StorageError as exc:
        raise ControlError(422, "StorageFailed", str(exc)) from None
