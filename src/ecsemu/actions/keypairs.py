"""SSH key pairs: CreateKeyPair, ImportKeyPair, DeleteKeyPairs, DescribeKeyPairs,
AttachKeyPair, DetachKeyPair (spec B25-B30, C5).

A key pair is named, per account and region; its tags sit under the resource ID
``keypair:<account>:<region>:<name>``. An instance holds at most one, by name
(``instances.key_pair_name``); deleting a key pair leaves that name on its instances.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..clock import utc_iso
from ..domain import keypairs as rules
from ..domain.ids import new_id
from ..store import instances as instance_store
from ..store import tags as tag_store
from ..store.keypairs import add_key_pair, count_in_region, delete_named, find_key_pair, matching_page, tag_resource_id
from ..store.rows import assign
from ..store.schema import instances
from .common import (
    PAGE_NUMBER,
    REGION_ID,
    RESOURCE_GROUP_FILTER,
    RESOURCE_GROUP_ID,
    TAG,
    page_size,
    resource_group_in,
    tags_in,
    tags_out,
)
from .declaration import Action, Args, CallContext
from .instances import check_locks
from .params import Kind, Param, Type

FAMILY = "Key pairs"


# --- creating --------------------------------------------------------------------------------

def create_key_pair(ctx: CallContext, args: Args) -> dict[str, Any]:
    name = _checked_name(args)
    tags, resource_group = tags_in(args), resource_group_in(args)
    generated = ctx.emulator.heavy.run(rules.generate)  # RSA: tens of ms, at low priority (priority.py)
    _add(ctx, args["RegionId"], name, generated.public_key, tags, resource_group)
    return {"KeyPairId": new_id("kp", args["RegionId"]), "KeyPairName": name,
            "KeyPairFingerPrint": generated.public_key.fingerprint, "PrivateKeyBody": generated.private_key_pem}


def import_key_pair(ctx: CallContext, args: Args) -> dict[str, Any]:
    name = _checked_name(args)
    try:
        public_key = rules.parse_public_key(args["PublicKeyBody"])
    except rules.MalformedKey:
        raise errors.INVALID_PUBLIC_KEY_BODY() from None
    tags, resource_group = tags_in(args), resource_group_in(args)
    _add(ctx, args["RegionId"], name, public_key, tags, resource_group)
    return {"KeyPairName": name, "KeyPairFingerPrint": public_key.fingerprint}


def _checked_name(args: Args) -> str:
    name = args["KeyPairName"]
    if not rules.valid_name(name):
        raise errors.INVALID_KEY_PAIR_NAME()
    return name


def _add(ctx: CallContext, region_id: str, name: str, public_key: rules.PublicKey,
         tags: list[tuple[str, str]], resource_group: str) -> None:
    with ctx.emulator.unit_of_work() as conn:
        if find_key_pair(conn, ctx.account_id, region_id, name) is not None:
            raise errors.KEY_PAIR_ALREADY_EXISTS()
        if count_in_region(conn, ctx.account_id, region_id) >= rules.QUOTA_PER_REGION:
            raise errors.KEY_PAIR_QUOTA_EXCEEDED()
        if not add_key_pair(conn, ctx.account_id, region_id, name, created_at=ctx.now(),
                            fingerprint=public_key.fingerprint, public_key=public_key.openssh,
                            resource_group_id=resource_group):
            raise errors.KEY_PAIR_ALREADY_EXISTS()   # the same name made by a concurrent request
        tag_store.tag_new(conn, tag_resource_id(ctx.account_id, region_id, name), tags)


# --- deleting and describing -------------------------------------------------------------------

def delete_key_pairs(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Unknown names are passed over; instances keep the name of a deleted pair."""
    names = list(dict.fromkeys(args["KeyPairNames"]))
    if not names:
        raise errors.INVALID_KEY_PAIR_NAMES()
    region_id = args["RegionId"]
    with ctx.emulator.unit_of_work() as conn:
        for name in delete_named(conn, ctx.account_id, region_id, names):
            tag_store.forget(conn, tag_resource_id(ctx.account_id, region_id, name))
    return {}


def describe_key_pairs(ctx: CallContext, args: Args) -> dict[str, Any]:
    region_id = args["RegionId"]
    number, size = args["PageNumber"], args["PageSize"]
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        rows, total = matching_page(conn, ctx.account_id, region_id, name=args["KeyPairName"],
                                    fingerprint=args["KeyPairFingerPrint"], tags=args["Tag"],
                                    resource_group_id=args["ResourceGroupId"], number=number, size=size)
        ids = {row.name: tag_resource_id(ctx.account_id, region_id, row.name) for row in rows}
        tags = tag_store.tags_of(conn, ids.values())
    return {
        "KeyPairs": {"KeyPair": [_key_pair_view(row, tags.get(ids[row.name], []), args["IncludePublicKey"])
                                 for row in rows]},
        "TotalCount": total, "PageNumber": number, "PageSize": size,
    }


def _key_pair_view(row: Row, tags: list[tuple[str, str]], include_public_key: bool) -> dict[str, Any]:
    view = {
        "KeyPairName": row.name,
        "KeyPairFingerPrint": row.fingerprint,
        "CreationTime": utc_iso(row.created_at),
        "ResourceGroupId": row.resource_group_id,
        "Tags": tags_out(tags),
    }
    if include_public_key:
        view["PublicKey"] = row.public_key
    return view


# --- binding to instances ----------------------------------------------------------------------

def attach_key_pair(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Binds the pair to every instance that can take it, replacing any pair it had.
    Request-level faults (IDs, the pair, Windows) refuse the whole call; an instance in
    the wrong state or locked fails alone, in Results."""
    name, region_id = args["KeyPairName"], args["RegionId"]
    with ctx.emulator.unit_of_work() as conn:
        targets = _instances(conn, ctx, region_id, args["InstanceIds"])
        if find_key_pair(conn, ctx.account_id, region_id, name) is None:
            raise errors.KEY_PAIR_NOT_FOUND()
        results = [_bind(conn, row, name) for row in targets]
    return _batch(name, results)


def detach_key_pair(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Unbinds the pair from the instances that hold it. An instance holding another pair
    or none is left as it is and counts as a success; the pair may have been deleted
    already, as long as one of the instances still holds its name."""
    name, region_id = args["KeyPairName"], args["RegionId"]
    with ctx.emulator.unit_of_work() as conn:
        targets = _instances(conn, ctx, region_id, args["InstanceIds"])
        if find_key_pair(conn, ctx.account_id, region_id, name) is None \
                and not any(row.key_pair_name == name for row in targets):
            raise errors.KEY_PAIR_NOT_FOUND()
        results = [_bind(conn, row, None, only_if=name) for row in targets]
    return _batch(name, results)


def _instances(conn: Connection, ctx: CallContext, region_id: str, instance_ids: list[str]) -> list[Row]:
    """The account's instances in the region, in the order given, each once; Linux only."""
    rows = instance_store.every_named(conn, ctx.account_id, region_id, instance_ids) if instance_ids else None
    if rows is None:
        raise errors.INVALID_KEY_PAIR_INSTANCE_IDS()
    if any(row.os_type == "windows" for row in rows):
        raise errors.KEY_PAIR_WINDOWS_INSTANCE()
    return rows


def _bind(conn: Connection, row: Row, name: str | None, *, only_if: str | None = None) -> dict[str, str]:
    """One instance's outcome, as a Results.Result entry."""
    try:
        check_locks(conn, row, financial=False)
        if row.status not in rules.BOUND_STATUSES:
            raise errors.INCORRECT_INSTANCE_STATUS()
    except errors.EcsError as error:
        return {"InstanceId": row.id, "Success": "false", "Code": error.code, "Message": error.message}
    if only_if is None or row.key_pair_name == only_if:
        assign(conn, instances, row.id, key_pair_name=name)
    return {"InstanceId": row.id, "Success": "true", "Code": "200", "Message": "successful"}


def _batch(name: str, results: list[dict[str, str]]) -> dict[str, Any]:
    """Counts are strings in these two responses."""
    failed = sum(1 for result in results if result["Success"] != "true")
    return {"KeyPairName": name, "TotalCount": str(len(results)), "FailCount": str(failed),
            "Results": {"Result": results}}


# --- declarations ------------------------------------------------------------------------------

KEY_PAIR_NAME = Param("KeyPairName", required=True,
                      description="Name, 2-128 characters: starts with a letter; letters, digits, : _ . -.")
INSTANCE_IDS = Param("InstanceIds", kind=Kind.JSON_ARRAY, required=True, max_items=50,
                     invalid=errors.INVALID_KEY_PAIR_INSTANCE_IDS,
                     description="JSON array of Linux instance IDs in the region, 1 to 50.")
# Raised for the whole call. An instance not Running or Stopped (IncorrectInstanceStatus) or
# under a security lock (InstanceLockedForSecurity) fails alone, in Results, with HTTP 200.
BATCH_RAISES = (errors.INVALID_KEY_PAIR_INSTANCE_IDS, errors.KEY_PAIR_NOT_FOUND, errors.KEY_PAIR_WINDOWS_INSTANCE)

ACTIONS = (
    Action("CreateKeyPair", FAMILY, "Makes an RSA key pair; the private key (PKCS#8 PEM) is returned once, "
                                    "never stored.",
           params=(REGION_ID, KEY_PAIR_NAME, RESOURCE_GROUP_ID, TAG),
           handler=create_key_pair,
           raises=(errors.INVALID_KEY_PAIR_NAME, errors.KEY_PAIR_ALREADY_EXISTS, errors.KEY_PAIR_QUOTA_EXCEEDED,
                   errors.INVALID_TAG_KEY, errors.INVALID_TAG_VALUE, errors.DUPLICATE_TAG_KEY,
                   errors.RESOURCE_GROUP_NOT_FOUND)),
    Action("ImportKeyPair", FAMILY, "Registers a public key: OpenSSH one-line or RFC 4716; RSA, DSA, ECDSA, "
                                    "Ed25519, or an OpenSSH certificate.",
           params=(REGION_ID, KEY_PAIR_NAME,
                   Param("PublicKeyBody", required=True,
                         description="The public key, e.g. the content of id_rsa.pub."),
                   RESOURCE_GROUP_ID, TAG),
           handler=import_key_pair,
           raises=(errors.INVALID_KEY_PAIR_NAME, errors.INVALID_PUBLIC_KEY_BODY, errors.KEY_PAIR_ALREADY_EXISTS,
                   errors.KEY_PAIR_QUOTA_EXCEEDED, errors.INVALID_TAG_KEY, errors.INVALID_TAG_VALUE,
                   errors.DUPLICATE_TAG_KEY, errors.RESOURCE_GROUP_NOT_FOUND)),
    Action("DeleteKeyPairs", FAMILY, "Deletes key pairs by name (unknown names are passed over); instances "
                                     "keep a deleted pair's name.",
           params=(REGION_ID,
                   Param("KeyPairNames", kind=Kind.JSON_ARRAY, required=True, max_items=100,
                         invalid=errors.INVALID_KEY_PAIR_NAMES,
                         description="JSON array of key pair names, 1 to 100.")),
           handler=delete_key_pairs, raises=(errors.INVALID_KEY_PAIR_NAMES,)),
    Action("DescribeKeyPairs", FAMILY, "Lists key pairs, oldest first.",
           params=(REGION_ID,
                   Param("KeyPairName", description="Name; * is a wildcard (*x, x*, *x*), else exact."),
                   Param("KeyPairFingerPrint", description="MD5 fingerprint, aa:bb:... (RFC 4716)."),
                   Param("IncludePublicKey", type=Type.BOOLEAN, default=False,
                         description="Include each PublicKey."),
                   RESOURCE_GROUP_FILTER, TAG, PAGE_NUMBER, page_size(50)),
           handler=describe_key_pairs),
    Action("AttachKeyPair", FAMILY, "Binds a key pair to Linux instances (Running or Stopped), replacing the "
                                    "one they had; per-instance outcome in Results.",
           params=(REGION_ID, Param("KeyPairName", required=True, description="The key pair."), INSTANCE_IDS),
           handler=attach_key_pair, raises=BATCH_RAISES),
    Action("DetachKeyPair", FAMILY, "Unbinds a key pair from the Linux instances (Running or Stopped) "
                                    "that hold it; per-instance outcome in Results.",
           params=(REGION_ID, Param("KeyPairName", required=True, description="The key pair."), INSTANCE_IDS),
           handler=detach_key_pair, raises=BATCH_RAISES),
)
