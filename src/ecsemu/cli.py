"""The ``ecsemu`` command."""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import sys
from pathlib import Path

from .access_line import FORMATS as LOG_FORMATS
from .accounts import AccessKey
from .client_commands import add_client_commands, run_client_command
from .client_setup import add_setup_commands, run_setup_command
from .config import ACCESS_KEYS_ENV, CONTROL_TOKEN_ENV, DATABASE_URL_ENV, Config, access_keys_from_env
from .domain.throttling import parse_flag
from .guest.driver import KINDS as INSTANCE_DRIVERS
from .guest.driver import InstanceDriverError
from .storage import BACKENDS, CephSettings, StorageError
from .throttle import limits_from_file
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
    serve.add_argument("--in-memory", action="store_true", help="keep no state on disk (the CA: see --ca-dir)")
    serve.add_argument("--ca-dir", type=Path,
                       help="where the local CA that signs the HTTPS certificate is kept (default <data-dir>/tls; "
                            "with --in-memory, ~/.cache/ecsemu/tls)")
    serve.add_argument("--tls-cert", type=Path, help="answer HTTPS with this PEM certificate instead")
    serve.add_argument("--tls-key", type=Path, help="the PEM private key for --tls-cert")
    serve.add_argument("--access-key", action="append", default=[], metavar="ID:SECRET:ACCOUNT_ID",
                       help=f"an access key and its account; repeatable (also ${ACCESS_KEYS_ENV})")
    serve.add_argument("--strict-auth", action="store_true",
                       help="refuse unknown AccessKeyIds (InvalidAccessKeyId.NotFound)")
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    serve.add_argument("--log-format", default="json", choices=LOG_FORMATS,
                       help="each request's access line: a JSON object (default) or key=value text")
    serve.add_argument("--database-url", default=os.environ.get(DATABASE_URL_ENV),
                       help=f"postgresql://… to share state between server processes (also ${DATABASE_URL_ENV}); "
                            "default: SQLite in the data dir")
    serve.add_argument("--transitions", choices=MODES, default="realistic",
                       help="realistic: short real delays (default); instant: none; manual: "
                            "only when POST /_ecsemu/clock/advance moves the clock")
    serve.add_argument("--delay", action="append", default=[], metavar="NAME=SECONDS",
                       help="override one transition delay; names: " + ", ".join(DELAY_NAMES))
    serve.add_argument("--storage", choices=BACKENDS, default="auto",
                       help="disk bytes: qcow2 (needs qemu-img), raw (pure Python), rbd (a Ceph pool several "
                            "servers share, docs/scaling-out.md); auto: qcow2 where qemu-img is installed")
    serve.add_argument("--rbd-pool", default="ecsemu", metavar="POOL",
                       help="with --storage rbd: the Ceph pool holding disk bytes (default ecsemu)")
    serve.add_argument("--ceph-conf", type=Path, metavar="FILE",
                       help="with --storage rbd: the cluster's ceph.conf (default: Ceph's own, /etc/ceph/ceph.conf)")
    serve.add_argument("--ceph-user", metavar="NAME",
                       help="with --storage rbd: the Ceph client name, without 'client.' (default admin)")
    serve.add_argument("--files-dir", type=Path,
                       help="the only directory image import reads from and disk export writes to "
                            "(default: <data-dir>/files)")
    serve.add_argument("--control-token", default=os.environ.get(CONTROL_TOKEN_ENV),
                       help="also require this token (header Authorization: Bearer TOKEN) on the "
                            f"control plane, for shared hosts (also ${CONTROL_TOKEN_ENV})")
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help="serve from N processes on the one port, sharing the data dir's SQLite file "
                            "or --database-url (default 1; not with --in-memory)")
    serve.add_argument("--throttle", action="append", default=[], metavar="ACTION=RATE[:BURST]",
                       help="limit each account's calls of ACTION (a glob: Describe*) to RATE a second, BURST "
                            "at once (default: RATE rounded up); past it: Throttling (400); repeatable")
    serve.add_argument("--throttle-config", type=Path, metavar="FILE",
                       help='per-account and per-action limits, JSON or TOML: {"Limits": [{"Action": '
                            '"Describe*", "Account": "…", "Rate": 20, "Burst": 40}]} (docs/unhappy-paths.md)')
    serve.add_argument("--instances", choices=INSTANCE_DRIVERS, default="none",
                       help="none: instances are state only (default); qemu: a started instance boots in "
                            "qemu-system-x86_64 (needs --storage qcow2; docs/instances.md)")
    serve.add_argument("--crash-at", metavar="STEP", help=argparse.SUPPRESS)  # crash-safety tests only

    add_client_commands(commands)
    add_setup_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command != "serve":
        gc.enable()  # entry.py kept it off for a server's start only
    if args.command == "serve":
        if args.tls_cert and not args.tls_key:
            parser.error("--tls-cert needs --tls-key")
        if args.workers < 1:
            parser.error(f"--workers {args.workers}: at least 1 is needed")
        if args.workers > 1 and args.in_memory:
            parser.error("--workers > 1 cannot be used with --in-memory: each process would keep a state "
                         "of its own; use --data-dir (SQLite) or --database-url (PostgreSQL) to share one")
        if args.workers > 1 and args.transitions == "manual":
            parser.error("--workers > 1 cannot be used with --transitions manual: the manual clock lives in "
                         "each process, and 'ecsemu control advance' would move only one of them")
        if args.storage != "rbd" and (args.ceph_conf or args.ceph_user or args.rbd_pool != "ecsemu"):
            parser.error("--rbd-pool, --ceph-conf and --ceph-user go with --storage rbd")
        if args.ceph_conf is not None and not args.ceph_conf.is_file():
            parser.error(f"--ceph-conf {args.ceph_conf}: no such file")
        if args.instances == "qemu" and args.workers > 1:
            parser.error("--instances qemu cannot be used with --workers > 1: the VMs are children of one "
                         "server process, which must see every start and stop")
        if args.instances == "qemu" and args.storage not in ("auto", "qcow2"):
            parser.error(f"--instances qemu boots the disks' qcow2 files: it needs --storage qcow2 (or auto), "
                         f"not {args.storage}")
        if not args.rbd_pool or "/" in args.rbd_pool:
            parser.error(f"--rbd-pool {args.rbd_pool!r}: a pool name")
        try:
            keys = [AccessKey.parse(spec) for spec in args.access_key] + access_keys_from_env()
            delays = Delays().with_overrides(dict(Delays.parse_override(text) for text in args.delay))
            limits = tuple(parse_flag(text) for text in args.throttle)
            if args.throttle_config is not None:
                limits += limits_from_file(args.throttle_config)
        except ValueError as exc:
            parser.error(str(exc))
        config = Config(
            host=args.host, port=args.port, data_dir=args.data_dir, in_memory=args.in_memory,
            tls_cert=args.tls_cert, tls_key=args.tls_key, ca_dir=args.ca_dir,
            access_keys=tuple(keys), strict_auth=args.strict_auth, log_level=args.log_level,
            log_format=args.log_format,
            database_url=args.database_url, transitions=args.transitions, delays=delays,
            storage=args.storage, crash_at=args.crash_at,
            ceph=CephSettings(pool=args.rbd_pool, conf=args.ceph_conf, user=args.ceph_user or None),
            files_dir=args.files_dir,
            control_token=args.control_token or None, workers=args.workers, throttle=limits,
            instances=args.instances,
        )
        from .server import serve  # here, so that the client commands start without uvicorn
        try:
            return serve(config)
        except StorageError as exc:  # a storage that cannot be used (no Ceph, no pool): said, not traced
            print(f"ecsemu: error: storage {config.storage}: {exc}", file=sys.stderr)
            return 1
        except InstanceDriverError as exc:  # --instances qemu without what it needs: said, not traced
            print(f"ecsemu: error: --instances {config.instances}: {exc}", file=sys.stderr)
            return 1
    if args.command in ("ca", "env"):
        return run_setup_command(args)
    return run_client_command(args)


if __name__ == "__main__":
    sys.exit(main())
