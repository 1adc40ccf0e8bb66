"""The ECS instance metadata service of one instance: ``respond`` answers one HTTP request
a guest (or a test, through /_ecsemu/metadata/<InstanceId>/…) sends to 100.100.100.200.

Each answer reads the instance as it is now (a new key pair after ReInitDisk, new user
data after ModifyInstanceAttribute), whatever its status. The token API and hardened mode
follow ECS: ``PUT /latest/api/token`` with ``X-aliyun-ecs-metadata-token-ttl-seconds``
(1-21600, else 400) gives a token, never through a proxy (``X-Forwarded-For``: 403); a
token that is not this instance's or has expired is 401, and with ``HttpTokens=required``
so is no token; ``HttpEndpoint=disabled`` answers 403 to everything. The paths and formats:
guest/metadata_paths.py; tokens: guest/metadata_tokens.py."""

from __future__ import annotations

import asyncio
import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain import disks as disk_rules
from ..domain import instances as instance_rules
from ..domain import network_interfaces as eni
from ..store import instance_metadata as store
from . import metadata_paths as paths
from . import metadata_tokens as tokens

if TYPE_CHECKING:  # the emulator's instance driver calls respond: no import cycle
    from ..emulator import Emulator

TOKEN_PATH = "/latest/api/token"
REASONS = {400: "Missing or Invalid Parameters", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
           405: "Method Not Allowed"}
READS = frozenset({"GET", "HEAD"})
MAX_ID = 64  # characters of an instance ID (the column's width)

Answer = tuple[int, list[tuple[str, str]], bytes]


@dataclass(frozen=True)
class _Request:
    instance_id: str
    method: str
    path: str
    headers: dict[str, str]   # by lower-case name


async def respond(emulator: Emulator, instance_id: str, method: str, path: str, headers: Mapping[str, str]) -> Answer:
    """(status, headers, body) of one metadata request of the instance's guest; ``path``
    as the guest asks (``/latest/meta-data/instance-id``). An unknown instance: 404."""
    answer = await asyncio.to_thread(answer_or_none, emulator, instance_id, method, path, headers)
    return error(404) if answer is None else answer


def answer_or_none(emulator: Emulator, instance_id: str, method: str, path: str,
                   headers: Mapping[str, str]) -> Answer | None:
    """``respond``'s answer, None when there is no such instance (the host route says so
    in its own words). Blocking: reads the store."""
    if len(instance_id) > MAX_ID or "\x00" in instance_id:  # no instance has it (and PostgreSQL text cannot)
        return None
    request = _Request(instance_id, method.upper(), path.split("?", 1)[0],
                       {name.lower(): value for name, value in headers.items()})
    asks_for_token = request.path.rstrip("/") == TOKEN_PATH
    with emulator.unit_of_work(read_only=True) as conn:
        rows = store.instance_rows(conn, instance_id, eni.primary_eni_id(instance_id))
        # the key only when a token is asked for or sent: a plain read reads none
        key = store.token_key(conn) if rows is not None and (
            asks_for_token or tokens.TOKEN_HEADER in request.headers) else None
    if rows is None:
        return None
    instance = rows.instance
    if instance.metadata_http_endpoint == "disabled":
        return error(403)
    if asks_for_token:
        if request.method != "PUT":
            return error(405, allow="PUT")
        return _token(emulator, request, key)
    if request.method not in READS:
        return error(405, allow="GET, HEAD")
    token = request.headers.get(tokens.TOKEN_HEADER)
    if token is not None:
        if key is None or not tokens.valid(key, token.strip(), instance_id, emulator.clock.now()):
            return error(401)
    elif instance.metadata_http_tokens == "required":
        return error(401)
    body = paths.resolve(facts(rows), request.path)
    if body is None:
        return error(404)
    data = body if isinstance(body, bytes) else body.encode()
    kind = "application/octet-stream" if isinstance(body, bytes) else "text/plain"
    return 200, [("content-type", kind)], b"" if request.method == "HEAD" else data


def _token(emulator: Emulator, request: _Request, key: bytes | None) -> Answer:
    if "x-forwarded-for" in request.headers:  # a proxy's request: the SSRF case hardened mode guards
        return error(403)
    ttl = tokens.ttl_of(request.headers.get(tokens.TTL_HEADER))
    if ttl is None:
        return error(400)
    if key is None:  # the first token of this state
        with emulator.db.transaction() as conn:
            key = store.new_token_key(conn)
    token = tokens.issue(key, request.instance_id, emulator.clock.now(), ttl)
    return 200, [("content-type", "text/plain"), (tokens.TTL_HEADER, str(ttl))], token.encode()


def facts(rows: store.InstanceRows) -> paths.InstanceFacts:
    """The instance's rows as the values its metadata shows."""
    i = rows.instance
    primary_id = eni.primary_eni_id(i.id)
    primary = paths.Interface(eni.mac_address(i.id), primary_id, i.private_ip, i.vpc_id, i.vswitch_id,
                              i.vpc_cidr or "", i.vswitch_cidr or "", tuple(rows.secondary_ips.get(primary_id, ())))
    secondary = tuple(paths.Interface(eni.mac_address(e.id), e.id, e.private_ip, e.vpc_id, e.vswitch_id,
                                      e.vpc_cidr or "", e.vswitch_cidr or "", tuple(rows.secondary_ips.get(e.id, ())))
                      for e in rows.enis)
    return paths.InstanceFacts(
        instance_id=i.id, region_id=i.region_id, zone_id=i.zone_id, host_name=i.host_name, image_id=i.image_id,
        instance_type=i.instance_type, instance_name=i.instance_name, owner_account_id=i.account_id,
        serial_number=instance_rules.serial_number(i.id), interfaces=(primary, *secondary),
        public_ip=i.public_ip, public_key=i.public_key, user_data=_decoded(i.user_data),
        disks=tuple(paths.Disk(disk_rules.serial_number(d.id), d.id, d.disk_name) for d in rows.disks))


def _decoded(user_data: str | None) -> bytes | None:
    """User data as the guest reads it: the base64 the API took, decoded (None: none)."""
    if not user_data:
        return None
    try:
        return base64.b64decode(user_data, validate=False)
    except (binascii.Error, ValueError):  # taken as sent: show it as it is
        return user_data.encode()


def error(status: int, *, allow: str | None = None) -> Answer:
    """An error as the metadata server's web page gives it."""
    title = f"{status} - {REASONS[status]}"
    body = ('<?xml version="1.0" encoding="iso-8859-1"?>\n'
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n'
            '\t"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n'
            f' <head>\n  <title>{title}</title>\n </head>\n'
            f' <body>\n  <h1>{title}</h1>\n </body>\n'
            '</html>\n')
    headers = [("content-type", "text/html")]
    if allow is not None:
        headers.append(("allow", allow))
    return status, headers, body.encode()
