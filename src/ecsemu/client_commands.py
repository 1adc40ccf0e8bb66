"""The ``ecsemu`` commands that talk to a running emulator's control plane: ``control``
(state, time, conditions), ``disk`` (read, write, export bytes) and ``image`` (import)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .config import CONTROL_TOKEN_ENV
from .domain.instances import LOCK_REASONS

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

    image = commands.add_parser("image", help="custom images")
    image_verbs = image.add_subparsers(dest="verb", required=True)
    import_ = image_verbs.add_parser("import", parents=[common], help="a raw or qcow2 file as a custom image")
    import_.add_argument("path", type=Path)
    import_.add_argument("--name", required=True, help="ImageName")
    import_.add_argument("--os-type", choices=("linux", "windows"), default="linux")
    import_.add_argument("--region", default="cn-hangzhou")
    import_.add_argument("--access-key-id", default="testid", help="the account that owns it, by one of its keys")


def run_client_command(args: argparse.Namespace) -> int:
    """One control-plane call; its answer to stdout; exit status 1 on an error answer."""
    method, path, body, content_type = _request_for(args)
    headers = {"Content-Type": content_type}
    if args.control_token:
        headers["Authorization"] = f"Bearer {args.control_token}"
    request = urllib.request.Request(args.url.rstrip("/") + "/_ecsemu" + path, data=body, method=method,
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            answer = response.read()
    except urllib.error.HTTPError as exc:
        print(exc.read().decode(), file=sys.stderr)
        return 1
    except urllib.error.URLError as exc:
        print(f"ecsemu {args.command}: cannot reach {args.url}: {exc.reason}", file=sys.stderr)
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


def _request_for(args: argparse.Namespace) -> tuple[str, str, bytes | None, str]:
    """Method, path under /_ecsemu, body and its content type."""
    def as_json(payload: dict | None) -> bytes | None:
        return None if payload is None else json.dumps(payload).encode()

    json_type = "application/json"
    if args.command == "disk":
        disk = urllib.parse.quote(args.disk_id)
        if args.verb == "read":
            return "GET", f"/disks/{disk}/data?offset={args.offset}&length={args.length}", None, json_type
        if args.verb == "write":
            data = args.data.encode() if args.data is not None else args.infile.read_bytes()
            return "PUT", f"/disks/{disk}/data?offset={args.offset}", data, "application/octet-stream"
        return "POST", f"/disks/{disk}/export", as_json({"Path": str(args.path.resolve()),
                                                         "Format": args.format}), json_type
    if args.command == "image":
        return "POST", "/images/import", as_json({
            "Path": str(args.path.resolve()), "ImageName": args.name, "OSType": args.os_type,
            "RegionId": args.region, "AccessKeyId": args.access_key_id}), json_type
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
