"""The ``ecsemu`` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import dataclasses
import json
import os
import urllib.error
import urllib.request

from .accounts import AccessKey
from .config import ACCESS_KEYS_ENV, DATABASE_URL_ENV, Config, access_keys_from_env
from .domain.instances import LOCK_REASONS
from .timing import MODES, Delays

DELAY_NAMES = [field.name for field in dataclasses.fields(Delays)]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ecsemu", description="A local Alibaba Cloud ECS (API 2014-05-26).")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the ECS endpoint")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
    serve.add_argument("--data-dir", type=Path, default=Path(".ecsemu"),
                       help="where state is kept (default ./.ecsemu)")
    serve.add_argument("--in-memory", action="store_true", help="keep nothing on disk")
    tls = serve.add_mutually_exclusive_group()
    tls.add_argument("--tls-self-signed", action="store_true",
                     help="serve HTTPS with a certificate made at start (its fingerprint is printed)")
    tls.add_argument("--tls-cert", type=Path, help="serve HTTPS with this PEM certificate")
    serve.add_argument("--tls-key", type=Path, help="the PEM private key for --tls-cert")
    serve.add_argument("--access-key", action="append", default=[], metavar="ID:SECRET:ACCOUNT_ID",
                       help=f"an access key and its account; repeatable (also ${ACCESS_KEYS_ENV})")
    serve.add_argument("--strict-auth", action="store_true",
                       help="refuse unknown AccessKeyIds (InvalidAccessKeyId.NotFound)")
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    serve.add_argument("--database-url", default=os.environ.get(DATABASE_URL_ENV),
                       help=f"postgresql://… to share state between server processes (also ${DATABASE_URL_ENV}); "
                            "default: SQLite in the data dir")
    serve.add_argument("--transitions", choices=MODES, default="realistic",
                       help="realistic: short real delays (default); instant: none; manual: "
                            "only when POST /_ecsemu/clock/advance moves the clock")
    serve.add_argument("--delay", action="append", default=[], metavar="NAME=SECONDS",
                       help="override one transition delay; names: " + ", ".join(DELAY_NAMES))

    control = commands.add_parser("control", help="talk to a running emulator's control plane")
    control.add_argument("--url", default="http://127.0.0.1:8080", help="the emulator (default http://127.0.0.1:8080)")
    verbs = control.add_subparsers(dest="verb", required=True)
    verbs.add_parser("health", help="is it up, which mode, what time")
    verbs.add_parser("reset", help="forget every resource of every account")
    advance = verbs.add_parser("advance", help="move the manual clock")
    advance.add_argument("seconds", type=float)
    lock = verbs.add_parser("lock", help="lock an instance (security or financial)")
    lock.add_argument("instance_id")
    lock.add_argument("reason", choices=LOCK_REASONS)
    unlock = verbs.add_parser("unlock", help="lift an instance lock")
    unlock.add_argument("instance_id")
    unlock.add_argument("reason", choices=LOCK_REASONS)
    snapshot = verbs.add_parser("snapshot", help="hold a snapshot in progress, or date it")
    snapshot.add_argument("snapshot_id")
    snapshot.add_argument("--hold", action=argparse.BooleanOptionalAction, default=None)
    snapshot.add_argument("--creation-time", metavar="2013-07-01T00:00:00Z")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "serve":
        if args.tls_cert and not args.tls_key:
            parser.error("--tls-cert needs --tls-key")
        try:
            keys = [AccessKey.parse(spec) for spec in args.access_key] + access_keys_from_env()
            delays = Delays().with_overrides(dict(Delays.parse_override(text) for text in args.delay))
        except ValueError as exc:
            parser.error(str(exc))
        config = Config(
            host=args.host, port=args.port, data_dir=args.data_dir, in_memory=args.in_memory,
            tls_cert=args.tls_cert, tls_key=args.tls_key, tls_self_signed=args.tls_self_signed,
            access_keys=tuple(keys), strict_auth=args.strict_auth, log_level=args.log_level,
            database_url=args.database_url, transitions=args.transitions, delays=delays,
        )
        from .server import serve
        serve(config)
        return 0
    return _control(args)


def _control_call(args: argparse.Namespace) -> tuple[str, str, dict | None]:
    """The control-plane request for a ``control`` verb: method, path, JSON body."""
    if args.verb == "health":
        return "GET", "/health", None
    if args.verb == "reset":
        return "POST", "/reset", {}
    if args.verb == "advance":
        return "POST", "/clock/advance", {"seconds": args.seconds}
    if args.verb == "lock":
        return "POST", f"/instances/{args.instance_id}/locks", {"LockReason": args.reason}
    if args.verb == "unlock":
        return "DELETE", f"/instances/{args.instance_id}/locks/{args.reason}", None
    body: dict = {}
    if args.hold is not None:
        body["Hold"] = args.hold
    if args.creation_time:
        body["CreationTime"] = args.creation_time
    return "PATCH", f"/snapshots/{args.snapshot_id}", body


def _control(args: argparse.Namespace) -> int:
    """One control-plane call; prints its JSON answer; exit status 1 on an error answer."""
    method, path, payload = _control_call(args)
    base = args.url.rstrip("/") + "/_ecsemu"
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            print(response.read().decode())
            return 0
    except urllib.error.HTTPError as exc:
        print(exc.read().decode(), file=sys.stderr)
        return 1
    except urllib.error.URLError as exc:
        print(f"ecsemu control: cannot reach {args.url}: {exc.reason}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
