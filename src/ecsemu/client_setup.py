"""``ecsemu ca`` and ``ecsemu env``: what a client needs to reach this emulator, HTTPS
included, without code of its own.

Each tool looks its endpoint and its trusted roots up in its own way; ``env`` prints, as
shell ``export`` lines, the one setting each reads (docs/tools/ shows them in use):
- the local CA (tls.py) for HTTPS: ``SSL_CERT_FILE`` (Go, so Terraform; Python's ssl, so
  the tea SDK), ``REQUESTS_CA_BUNDLE`` (requests), ``ALIBABA_CLOUD_CA_BUNDLE``
  (aliyun-python-sdk-core, which ignores the other two), ``CURL_CA_BUNDLE``, which all
  replace the roots, hence the bundle of system roots and the CA; and
  ``NODE_EXTRA_CA_CERTS`` (Node), which adds to them, hence the CA alone;
- the Terraform provider's ``ALIBABA_CLOUD_ENDPOINT_ECS`` (which spares it the Location
  service and the ``ecs.<region>.aliyuncs.com`` fallback), its keys, region and
  ``ALIBABA_CLOUD_ACCOUNT_TYPE`` (which spares it a BssOpenApi call);
- footmark, which has no endpoint setting: it builds its clients from the region alone,
  over plain HTTP, and they honour ``HTTP_PROXY``;
- as a comment, ``HTTPS_PROXY`` for any client that finds ``ecs.<region>.aliyuncs.com``
  itself over HTTPS (http_protocol.py answers CONNECT for those names).
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from .accounts import DEVELOPMENT_ACCOUNT_ID, DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET
from .catalog.regions import DEFAULT_REGION_ID, REGIONS_BY_ID
from .config import Config


def add_setup_commands(commands) -> None:
    location = argparse.ArgumentParser(add_help=False)
    location.add_argument("--data-dir", type=Path, default=Path(".ecsemu"),
                          help="the server's --data-dir (default ./.ecsemu): its CA is in <data-dir>/tls")
    location.add_argument("--in-memory", action="store_true", help="the CA of --in-memory servers (user's cache)")
    location.add_argument("--ca-dir", type=Path, help="the server's --ca-dir")

    ca = commands.add_parser("ca", parents=[location],
                             help="print the path of the local CA certificate HTTPS is signed by (made if missing)")
    ca.add_argument("--bundle", action="store_true", help="print the bundle's path instead: system roots + the CA")

    env = commands.add_parser("env", parents=[location],
                              help="print the shell variables that point clients at ecsemu: "
                                   'eval "$(ecsemu env)"')
    env.add_argument("--host", default="127.0.0.1", help="the server's --host (default 127.0.0.1)")
    env.add_argument("--port", type=int, default=8080, help="the server's --port (default 8080)")
    env.add_argument("--region", default=DEFAULT_REGION_ID, help=f"the region (default {DEFAULT_REGION_ID})")


def run_setup_command(args: argparse.Namespace) -> int:
    from .tls import WILDCARD_HOSTS, ensure_authority
    config = Config(data_dir=args.data_dir, in_memory=args.in_memory, ca_dir=args.ca_dir)
    authority = ensure_authority(config.authority_dir)  # the server makes its own certificate
    if args.command == "ca":
        print(authority.bundle if args.bundle else authority.cert)
        return 0
    if args.region not in REGIONS_BY_ID:
        print(f"ecsemu env: unknown region {args.region}", file=sys.stderr)
        return 2
    # A server listening on every address is reached by a client on this machine at loopback.
    host = ("::1" if ":" in args.host else "127.0.0.1") if args.host in WILDCARD_HOSTS else args.host
    endpoint = f"[{host}]:{args.port}" if ":" in host else f"{host}:{args.port}"
    print(environment(endpoint, args.region, authority.cert, authority.bundle), end="")
    return 0


def environment(endpoint: str, region: str, ca: Path, bundle: Path) -> str:
    """The ``export`` lines, with a comment per group."""
    groups = [
        ("ecsemu answers plain HTTP and HTTPS on one port. Trust its local CA:", [
            ("SSL_CERT_FILE", str(bundle), "Go (Terraform), Python's ssl (the tea SDK alibabacloud-*): "
                                           "system roots + the CA"),
            ("REQUESTS_CA_BUNDLE", str(bundle), "code calling requests itself"),
            ("ALIBABA_CLOUD_CA_BUNDLE", str(bundle), "aliyun-python-sdk-core (and footmark) over HTTPS"),
            ("CURL_CA_BUNDLE", str(bundle), "curl"),
            ("NODE_EXTRA_CA_CERTS", str(ca), "Node.js adds it to its roots"),
        ]),
        ("Keys and region: the built-in development key; the credential chains of the SDKs read them", [
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", DEVELOPMENT_KEY_ID, ""),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEVELOPMENT_KEY_SECRET, ""),
            ("ALIBABA_CLOUD_REGION", region, ""),
        ]),
        ("Terraform provider alicloud (and the examples in docs/tools/, which read the endpoint from here)", [
            ("ALIBABA_CLOUD_ENDPOINT_ECS", endpoint, "host:port, no scheme; protocol HTTP or HTTPS"),
            ("ALIBABA_CLOUD_ENDPOINT_VPC", endpoint, "the VPC product, on the same port"),
            ("ALIBABA_CLOUD_ACCOUNT_TYPE", "Domestic", "spares a BssOpenApi call at start"),
            ("ALIBABA_CLOUD_ACCOUNT_ID", DEVELOPMENT_ACCOUNT_ID, "the development key's account"),
        ]),
        ("footmark (Ansible's alicloud modules) has no endpoint setting: its plain-HTTP calls come "
         "here through a proxy. HTTP_PROXY sends every plain-HTTP call of Python programs here: "
         "unset it when done", [
            ("ALICLOUD_ACCESS_KEY", DEVELOPMENT_KEY_ID, ""),
            ("ALICLOUD_SECRET_KEY", DEVELOPMENT_KEY_SECRET, ""),
            ("ALICLOUD_REGION", region, ""),
            ("HTTP_PROXY", f"http://{endpoint}", ""),
        ]),
    ]
    lines = []
    for heading, variables in groups:
        lines.append(f"# {heading}")
        for name, value, comment in variables:
            lines.append(f"export {name}={shlex.quote(value)}" + (f"  # {comment}" if comment else ""))
        lines.append("")
    lines.append("# Clients that find ecs.<region>.aliyuncs.com themselves (no endpoint setting): run them with")
    lines.append(f"# HTTPS_PROXY=http://{endpoint} (ecsemu answers CONNECT for *.aliyuncs.com only, and forwards")
    lines.append("# nothing: set it for those commands, not for the shell).")
    return "\n".join(lines) + "\n"
