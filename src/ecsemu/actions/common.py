"""Parameters and helpers several resource families share: RegionId, tags, paging, DryRun."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, Table, and_, bindparam, func, or_, select

from .. import errors
from ..catalog.regions import REGION_IDS
from ..domain import passwords, resource_groups
from ..domain import tags as tag_rules
from ..store import counts
from ..store.statements import OneOff, Statement
from .client_token import client_token
from .declaration import CallContext
from .params import Kind, Param, Type

REGION_ID = Param("RegionId", required=True, enum=REGION_IDS, invalid=errors.REGION_NOT_FOUND,
                  description="The region.")
DRY_RUN = Param("DryRun", type=Type.BOOLEAN, default=False,
                description="Check the request only: DryRunOperation when it would succeed.")
CLIENT_TOKEN = client_token()
TAG = Param("Tag", kind=Kind.OBJECT_LIST, max_items=20, description="Tags.", fields=(
    Param("Key", description="Tag key, up to 128 characters."),
    Param("Value", description="Tag value, up to 128 characters."),
))
PAGE_NUMBER = Param("PageNumber", type=Type.INTEGER, default=1, minimum=1, description="Page, from 1.")
NEXT_TOKEN = Param("NextToken", description="Where the previous page ended (token paging).")


def page_size(maximum: int) -> Param:
    return Param("PageSize", type=Type.INTEGER, default=10, minimum=1, maximum=maximum,
                 description=f"Entries a page, 1 to {maximum}.")


def max_results(maximum: int) -> Param:
    return Param("MaxResults", type=Type.INTEGER, minimum=1,
                 description=f"Entries a page in token paging; below 10 counts as 10, above {maximum} as {maximum}.")


def unless_every(value: Any, every: str = "all") -> Any:
    """A Describe filter's value, None (no filter) for the word that asks for every one."""
    return None if value == every else value


def hashed_beforehand(ctx: CallContext, password: str | None) -> str | None:
    """The password's hash, made before the unit of work opens: scrypt takes tens of
    milliseconds, which must not be spent holding the database's write lock, nor at the
    priority of cheap calls (priority.py). (Whether the password is acceptable is checked
    inside, in its place among the action's checks.)"""
    return ctx.emulator.heavy.run(passwords.hash_password, password) if password is not None else None


def dry_run_check(args: dict) -> None:
    """After validation: a dry run stops here, with the real service's 'error'."""
    if args.get("DryRun"):
        raise errors.DRY_RUN_OPERATION()


# --- tags ------------------------------------------------------------------------------------

def tags_in(args: dict) -> list[tuple[str, str]]:
    """``Tag.N.Key``/``Tag.N.Value`` as given, checked (domain/tags.py): ``[(key, value), …]``.
    The same tags whether set at creation or by TagResources."""
    tags: list[tuple[str, str]] = []
    for tag in args.get("Tag") or ():
        key, value = tag["Key"], tag["Value"] or ""
        if not tag_rules.valid_key(key):
            raise errors.INVALID_TAG_KEY()
        if not tag_rules.valid_value(value):
            raise errors.INVALID_TAG_VALUE()
        if any(key == existing for existing, _ in tags):
            raise errors.DUPLICATE_TAG_KEY()
        tags.append((key, value))
    return tags


# --- resource groups ---------------------------------------------------------------------------

RESOURCE_GROUP_ID = Param("ResourceGroupId", description="Resource group, rg-…; default none.")
RESOURCE_GROUP_FILTER = Param("ResourceGroupId", description="Only the resources of this resource group.")


def resource_group_in(args: dict) -> str:
    """``ResourceGroupId`` of a Create*, checked: the group, or none ("")."""
    group_id = args.get("ResourceGroupId")
    if not group_id:
        return resource_groups.NONE
    if not resource_groups.exists(group_id):
        raise errors.RESOURCE_GROUP_NOT_FOUND()
    return group_id


def tags_out(tags: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {"Tag": [{"TagKey": key, "TagValue": value} for key, value in tags]}


# --- paging ----------------------------------------------------------------------------------

class _Shape(NamedTuple):
    """The statements of one listing shape (which conditions, not their values): executed
    with the parameters ``account_id``, ``region_id``, ``ids`` (when narrowed to IDs),
    ``page_limit``, ``page_offset``, ``after_at``/``after_id`` (token paging's position)."""
    page: Statement | OneOff       # PageNumber/PageSize
    first: Statement | OneOff      # token paging, first page
    after: Statement | OneOff      # token paging, after a NextToken
    total: Statement | OneOff      # TotalCount: SELECT count(*) FROM table WHERE … (no subquery, so
                                   # SQLite answers from the listing index alone); not
                                   # ``count``, which would hide tuple.count


def _shape(table: Table, columns: Sequence, conditions: Sequence,
           run: type[Statement | OneOff] = Statement) -> _Shape:
    """The one definition of a listing's queries: the account's rows in a region that meet
    ``conditions``, ordered by creation time then ID. ``run``: how they run (Statement for
    the shapes built once, OneOff for one built for a call)."""
    t = table.c
    where = and_(t.account_id == bindparam("account_id"), t.region_id == bindparam("region_id"), *conditions)
    ordered = select(*columns).where(where).order_by(t.created_at, t.id)
    after = or_(t.created_at > bindparam("after_at"),
                and_(t.created_at == bindparam("after_at"), t.id > bindparam("after_id")))
    return _Shape(page=run(ordered.limit(bindparam("page_limit")).offset(bindparam("page_offset"))),
                  first=run(ordered.limit(bindparam("page_limit"))),
                  after=run(ordered.where(after).limit(bindparam("page_limit"))),
                  total=run(select(func.count()).select_from(table).where(where)))


class Listing:
    """What a Describe action lists: ``table``'s rows (as ``columns``, default the whole
    row). The statements of its two common shapes, by IDs and unfiltered, are built once
    (module level, immutable); a shape with other filters is built per call, by the same
    ``_shape``."""

    def __init__(self, table: Table, columns: Sequence | None = None) -> None:
        self.table = table
        self.columns = tuple(columns) if columns is not None else (table,)
        self.unfiltered = _shape(table, self.columns, ())
        self.by_ids = _shape(table, self.columns, (table.c.id.in_(bindparam("ids", expanding=True)),))

    def shape(self, ids: Sequence[str] | None, where: Sequence) -> _Shape:
        if not where:
            return self.unfiltered if ids is None else self.by_ids
        conditions = list(where)
        if ids is not None:
            conditions.append(self.table.c.id.in_(bindparam("ids", expanding=True)))
        return _shape(self.table, self.columns, conditions, OneOff)


def paginate(conn: Connection, listing: Listing, args: dict, account_id: str, *,
             ids: Sequence[str] | None = None, where: Sequence = (), token_max: int | None = None,
             token_min: int = 10) -> tuple[Sequence[Any], dict[str, Any]]:
    """The account's rows of ``listing`` in ``args["RegionId"]`` (only those with ``ids``
    when given, and meeting the conditions ``where``), a page at a time, ordered by
    creation time then ID. Token paging (NextToken/MaxResults) when the action has it and
    the caller used it, else PageNumber/PageSize. Returns the rows and the paging fields of
    the response."""
    shape = listing.shape(ids, where)
    region_id = args["RegionId"]
    params: dict[str, Any] = {"account_id": account_id, "region_id": region_id}
    if ids is not None:
        params["ids"] = list(ids)
    if token_max is not None and (args.get("NextToken") or args.get("MaxResults") is not None):  # token paging
        size = min(max(args.get("MaxResults") or token_min, token_min), token_max)
        first = not args.get("NextToken")
        if first:
            rows = shape.first.all(conn, **params, page_limit=size + 1)
        else:
            after_at, after_id = _decode_token(args["NextToken"])
            rows = shape.after.all(conn, **params, page_limit=size + 1, after_at=after_at, after_id=after_id)
        more = len(rows) > size
        rows = rows[:size]
        token = _encode_token(rows[-1].created_at, rows[-1].id) if more else ""
        total = len(rows) if first and not more else _count(conn, listing, shape, params, filtered=bool(
            ids is not None or where))
        return rows, {"TotalCount": total, "NextToken": token, "MaxResults": size}
    number, size = args["PageNumber"], args["PageSize"]
    rows = shape.page.all(conn, **params, page_limit=size, page_offset=(number - 1) * size)
    # A first page that is not full is everything: no need to count (lookups by ID).
    total = len(rows) if number == 1 and len(rows) < size else _count(
        conn, listing, shape, params, filtered=bool(ids is not None or where))
    return rows, {"TotalCount": total, "PageNumber": number, "PageSize": size}


def _count(conn: Connection, listing: Listing, shape: _Shape, params: dict[str, Any], *, filtered: bool) -> int:
    """TotalCount. Unfiltered, of a table whose rows are counted as they come and go
    (store/counts.py: disks and instances on SQLite), it is read, not counted."""
    if not filtered and counts.kept(conn, listing.table):
        return counts.stored_count(conn, listing.table, params["account_id"], params["region_id"])
    return shape.total.scalar(conn, **params)


def _encode_token(created_at: float, last_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([created_at, last_id]).encode()).decode()


MAX_TOKEN = 512  # characters: the tokens this emulator hands out are far shorter


def _decode_token(token: str) -> tuple[float, str]:
    try:
        if len(token) > MAX_TOKEN:
            raise ValueError(token)
        created_at, last_id = json.loads(base64.urlsafe_b64decode(token.encode()))
        created_at = float(created_at)
        if not math.isfinite(created_at):
            raise ValueError(token)
        return created_at, str(last_id)
    except (ValueError, TypeError, RecursionError):
        raise errors.INVALID_PARAMETER(name="NextToken") from None
