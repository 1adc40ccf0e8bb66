"""Parameters and helpers several resource families share: RegionId, tags, paging, DryRun."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Select, and_, func, or_, select

from .. import errors
from ..catalog.regions import REGION_IDS
from .params import Kind, Param, Type

REGION_ID = Param("RegionId", required=True, enum=REGION_IDS, invalid=errors.REGION_NOT_FOUND,
                  description="The region.")
DRY_RUN = Param("DryRun", type=Type.BOOLEAN, default=False,
                description="Check the request only: DryRunOperation when it would succeed.")
CLIENT_TOKEN = Param("ClientToken", max_length=64, description="Idempotence token (accepted, not enforced).")
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


def dry_run_check(args: dict) -> None:
    """After validation: a dry run stops here, with the real service's 'error'."""
    if args.get("DryRun"):
        raise errors.DRY_RUN_OPERATION()


# --- tags ------------------------------------------------------------------------------------

def tags_in(args: dict) -> list[tuple[str, str]]:
    """``Tag.N.Key``/``Tag.N.Value`` as given, checked: ``[(key, value), …]``."""
    tags: list[tuple[str, str]] = []
    for tag in args.get("Tag") or ():
        key, value = tag["Key"], tag["Value"] or ""
        if not key or len(key) > 128 or key.startswith(("aliyun", "acs:", "http://", "https://")):
            raise errors.INVALID_TAG_KEY()
        if len(value) > 128 or value.startswith(("aliyun", "acs:", "http://", "https://")):
            raise errors.INVALID_TAG_VALUE()
        if any(key == existing for existing, _ in tags):
            raise errors.DUPLICATE_TAG_KEY()
        tags.append((key, value))
    return tags


def tags_out(tags: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {"Tag": [{"TagKey": key, "TagValue": value} for key, value in tags]}


# --- paging ----------------------------------------------------------------------------------

def paginate(conn: Connection, query: Select, table, args: dict, *, token_max: int | None = None,
             token_min: int = 10) -> tuple[list, dict[str, Any]]:
    """Runs ``query`` (filters applied, no order) a page at a time, ordered by creation
    time then ID. Token paging (NextToken/MaxResults) when the action has it and the
    caller used it, else PageNumber/PageSize. Returns the rows and the paging fields of
    the response."""
    order = (table.c.created_at, table.c.id)
    token_mode = token_max is not None and (args.get("NextToken") or args.get("MaxResults") is not None)
    if token_mode:
        size = min(max(args.get("MaxResults") or token_min, token_min), token_max)
        first = not args.get("NextToken")
        if not first:
            created_at, last_id = _decode_token(args["NextToken"])
            query_page = query.where(or_(table.c.created_at > created_at,
                                         and_(table.c.created_at == created_at, table.c.id > last_id)))
        else:
            query_page = query
        rows = conn.execute(query_page.order_by(*order).limit(size + 1)).all()
        more = len(rows) > size
        rows = rows[:size]
        token = _encode_token(rows[-1].created_at, rows[-1].id) if more else ""
        total = len(rows) if first and not more else _count(conn, query, table)
        return rows, {"TotalCount": total, "NextToken": token, "MaxResults": size}
    number, size = args["PageNumber"], args["PageSize"]
    rows = conn.execute(query.order_by(*order).limit(size).offset((number - 1) * size)).all()
    # A first page that is not full is everything: no need to count (lookups by ID).
    total = len(rows) if number == 1 and len(rows) < size else _count(conn, query, table)
    return rows, {"TotalCount": total, "PageNumber": number, "PageSize": size}


def _count(conn: Connection, query: Select, table) -> int:
    """``SELECT count(*) FROM table WHERE …``: the query's own conditions, without its
    columns (no subquery), so that SQLite answers from the listing index alone."""
    return conn.execute(query.with_only_columns(func.count()).select_from(table)).scalar_one()


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
