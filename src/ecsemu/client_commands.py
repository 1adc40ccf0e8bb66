"""The ``ecsemu`` commands that talk to a running emulator's control plane: ``control``
(state, time, conditions), ``disk`` (read, write, export bytes) and ``image`` (import).

The emulator imports and exports only inside its files dir (``GET /_ecsemu/health`` says
where). These commands run as their user, with that user's own file permissions, so they
take any path: ``image import`` links (or copies) a file from elsewhere into the files dir,
imports it and removes the link; ``disk export`` has the emulator write into the files dir
and moves the file to where it was asked.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import secrets
import shutil
import sys
import urllib.parse
from pathlib import Path

from .config import CONTROL_TOKEN_ENV
from .domain.instances import LOCK_REASONS
from .storage.base import allocated_blocks, pwrite_all

DEFAULT_URL = "http://127.0.0.1:8080"


def add_client_commands(commands) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", default=DEFAULT_URL, help=f"the emulator (default {DEFAULT_URL})")
    common.add_argument("--control-token", default=os.environ.get(CONTROL_TOKEN_ENV),
                        help=f"the emulator's --control-token, if it has one (also ${CONTROL_TOKEN_ENV})")

    control = commands.add_parser("control", help="state, time and conditions of an emulator")
    verbs = control.add_subparsers(dest="verb", required=True)
    verbs.add_parser("health", parents=[common], help="is it up, which mode, what time")
    verbs.add_parser("reset", parents=[common], help="forget every resource of every account")
    verbs.add_parser("advance", parents=[common], help="move the manual clock").add_argument("seconds", type=float)
    for verb, text in (("lock", "lock an instance (security or financial)"), ("unlock", "lift an instance lock")):
        parser = verbs.add_parser(verb, parents=[common], help=text)
        parser.add_argument("instance_id")
        parser.add_argument("reason", choices=LOCK_REASONS)
    snapshot = verbs.add_parser("snapshot", parents=[common], help="hold a snapshot in progress, or date it")
    snapshot.add_argument("snapshot_id")
    snapshot.add_argument("--hold", action=argparse.BooleanOptionalAction, default=None)
    snapshot.add_argument("--creation-time", metavar="2013-07-01T00:00:00Z")

    disk = commands.add_parser("disk", help="the bytes of a disk")
    disk_verbs = disk.add_subparsers(dest="verb", required=True)
    read = disk_verbs.add_parser("read", parents=[common], help="bytes of a disk, to stdout or a file")
    read.add_argument("disk_id")
    read.add_argument("--offset", type=int, default=0)
    read.add_argument("--length", type=int, default=512)
    read.add_argument("--out", type=Path, help="write them here instead of stdout")
    write = disk_verbs.add_parser("write", parents=[common], help="write bytes into a disk")
    write.add_argument("disk_id")
    write.add_argument("--offset", type=int, default=0)
    source = write.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", help="these characters (UTF-8)")
    source.add_argument("--in", dest="infile", type=Path, help="the bytes of this file")
    export = disk_verbs.add_parser("export", parents=[common], help="the whole disk as a raw or qcow2 file")
    export.add_argument("disk_id")
    export.add_argument("path", type=Path)
    export.add_argument("--format", choices=("raw", "qcow2"), default="raw")
    export.add_argument("--overwrite", action="store_true", help="replace PATH if it exists")

    image = commands.add_parser("image", help="custom images")
    image_verbs = image.add_subparsers(dest="verb", required=True)
    import_ = image_verbs.add_parser("import", parents=[common], help="a raw or qcow2 file as a custom image")
    import_.add_argument("path", type=Path)
    import_.add_argument("--name", required=True, help="ImageName")
    import_.add_argument("--os-type", choices=("linux", "windows"), default="linux")
    import_.add_argument("--region", default="cn-hangzhou")
    import_.add_argument("--access-key-id", default="testid", help="the account that owns it, by one of its keys")


class Refused(Exception):
    """An error answer, or a local failure, printed on stderr (exit status 1)."""


def run_client_command(args: argparse.Namespace) -> int:
    """One control-plane call (two or three for export and import); its answer to stdout;
    exit status 1 on an error answer."""
    try:
        if args.command == "image":
            answer = _import_image(args)
        elif args.command == "disk" and args.verb == "export":
            answer = _export_disk(args)
        else:
            answer = _call(args, *_request_for(args))
    except Refused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.command == "disk" and args.verb == "read":
        if args.out:
            args.out.write_bytes(answer)
        else:
            sys.stdout.buffer.write(answer)
            sys.stdout.flush()
    else:
        print(answer.decode())
    return 0


def _call(args: argparse.Namespace, method: str, path: str, body: bytes | None = None,
          content_type: str = "application/json") -> bytes:
    # Here, not at the top: `ecsemu serve` imports this module for its command line, and
    # never calls the control plane (http.client and email cost ~20 ms of its start).
    import urllib.error
    import urllib.request
    headers = {"Content-Type": content_type}
    if args.control_token:
        headers["Authorization"] = f"Bearer {args.control_token}"
    request = urllib.request.Request(args.url.rstrip("/") + "/_ecsemu" + path, data=body, method=method,
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        raise Refused(exc.read().decode(errors="replace")) from None
    except urllib.error.URLError as exc:
        raise Refused(f"ecsemu {args.command}: cannot reach {args.url}: {exc.reason}") from None


def _error(code: str, message: str) -> Refused:
    """A local failure, shaped as the emulator's own errors."""
    return Refused(json.dumps({"Code": code, "Message": message}))


def _files_dir(args: argparse.Namespace) -> Path:
    """The emulator's files dir, which must be reachable from here (the control plane
    answers on the same machine)."""
    files_dir = json.loads(_call(args, "GET", "/health")).get("FilesDir")
    if not files_dir or not Path(files_dir).is_dir():
        raise _error("FilesDirUnreachable", f"The emulator's files dir {files_dir} is not a directory here: run "
                                            "this command on the emulator's machine.")
    return Path(files_dir)


def _inside(path: Path, files_dir: Path) -> Path | None:
    """``path`` relative to the files dir if it is in it (links resolved), else None."""
    try:
        return path.resolve().relative_to(files_dir)
    except ValueError:
        return None


def _import_image(args: argparse.Namespace) -> bytes:
    source: Path = args.path
    if not source.is_file():
        raise _error("InvalidPath", f"{source} is not a file.")
    files_dir = _files_dir(args)
    relative = _inside(source, files_dir)
    staging = None
    if relative is None:  # a unique directory, so the image's description keeps the file's name
        staging = files_dir / f".ecsemu-cli-{secrets.token_hex(8)}"
        try:
            staging.mkdir()
            _link_or_copy(source.resolve(), staging / source.name)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise _error("InvalidPath", f"Cannot put {source} into the files dir {files_dir}: "
                                        f"{exc.strerror}.") from None
        relative = (staging / source.name).relative_to(files_dir)
    try:
        return _call(args, "POST", "/images/import", json.dumps({
            "Path": str(relative), "ImageName": args.name, "OSType": args.os_type, "RegionId": args.region,
            "AccessKeyId": args.access_key_id}).encode())
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _export_disk(args: argparse.Namespace) -> bytes:
    dest: Path = args.path.absolute()
    if os.path.lexists(dest) and not args.overwrite:
        raise _error("FileAlreadyExists", f"{dest} already exists: remove it, or give --overwrite.")
    if not dest.parent.is_dir():
        raise _error("InvalidPath", f"{dest.parent} is not a directory.")
    files_dir = _files_dir(args)
    disk = urllib.parse.quote(args.disk_id)
    relative = _inside(dest.parent, files_dir)
    if relative is not None:  # the emulator writes it in place
        answer = json.loads(_call(args, "POST", f"/disks/{disk}/export", json.dumps({
            "Path": str(relative / dest.name), "Format": args.format, "Overwrite": args.overwrite}).encode()))
    else:
        name = f".ecsemu-cli-export-{secrets.token_hex(8)}.{args.format}"
        answer = json.loads(_call(args, "POST", f"/disks/{disk}/export", json.dumps({
            "Path": name, "Format": args.format}).encode()))
        try:
            _move(files_dir / name, dest, args.overwrite)
        finally:
            (files_dir / name).unlink(missing_ok=True)
    answer["Path"] = str(dest)
    return json.dumps(answer).encode()


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link, else (another file system, a file we may not link) a copy that keeps
    holes as holes."""
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno == errno.EEXIST:
            raise
        _copy_sparse(source, target)


def _move(source: Path, dest: Path, overwrite: bool) -> None:
    """``source`` to ``dest``, never replacing ``dest`` unless ``overwrite``: a rename or a
    hard link where they share a file system, else a copy beside ``dest`` renamed into place."""
    staged = source
    if source.stat().st_dev != dest.parent.stat().st_dev:
        staged = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.tmp")
        try:
            _copy_sparse(source, staged)
        except OSError as exc:
            staged.unlink(missing_ok=True)
            raise _error("InvalidPath", f"Cannot write {dest}: {exc.strerror}.") from None
    try:
        if overwrite:
            os.replace(staged, dest)
        else:
            os.link(staged, dest)  # fails if anything took the name
    except FileExistsError:
        raise _error("FileAlreadyExists", f"{dest} already exists: remove it, or give --overwrite.") from None
    except OSError as exc:
        raise _error("InvalidPath", f"Cannot write {dest}: {exc.strerror}.") from None
    finally:
        if staged != source:
            staged.unlink(missing_ok=True)


def _copy_sparse(source: Path, target: Path) -> None:
    """A new file ``target`` (never an existing one) with ``source``'s bytes; its holes stay
    holes, so a 40 GiB disk with a few MiB written copies a few MiB."""
    with source.open("rb") as reader, open(target, "xb") as writer:
        for position, block in allocated_blocks(reader.fileno()):
            pwrite_all(writer.fileno(), block, position)
        writer.truncate(os.fstat(reader.fileno()).st_size)
        os.fsync(writer.fileno())


def _request_for(args: argparse.Namespace) -> tuple[str, str, bytes | None, str]:
    """Method, path under /_ecsemu, body and its content type."""
    def as_json(payload: dict | None) -> bytes | None:
        return None if payload is None else json.dumps(payload).encode()

    json_type = "application/json"
    if args.command == "disk":
        disk = urllib.parse.quote(args.disk_id)
        if args.verb == "read":
            return "GET", f"/disks/{disk}/data?offset={args.offset}&length={args.length}", None, json_type
        data = args.data.encode() if args.data is not None else args.infile.read_bytes()
        return "PUT", f"/disks/{disk}/data?offset={args.offset}", data, "application/octet-stream"
    if args.verb == "health":
        return "GET", "/health", None, json_type
    if args.verb == "reset":
        return "POST", "/reset", as_json({}), json_type
    if args.verb == "advance":
        return "POST", "/clock/advance", as_json({"seconds": args.seconds}), json_type
    if args.verb == "lock":
        return "POST", f"/instances/{args.instance_id}/locks", as_json({"LockReason": args.reason}), json_type
    if args.verb == "unlock":
        return "DELETE", f"/instances/{args.instance_id}/locks/{args.reason}", None, json_type
    body: dict = {}
    if args.hold is not None:
        body["Hold"] = args.hold
    if args.creation_time:
        body["CreationTime"] = args.creation_time
    return "PATCH", f"/snapshots/{args.snapshot_id}", as_json(body), json_type
