"""``Filter.N.Key`` / ``Filter.N.Value`` of DescribeInstances, DescribeDisks and
DescribeSnapshots: the one key the API defines, ``CreationStartTime`` (resources created at
or after a UTC minute, ``yyyy-MM-ddTHH:mmZ``). Any other key is refused, never ignored."""

from __future__ import annotations

from datetime import UTC, datetime

from .. import errors
from .params import Kind, Param

CREATION_START_TIME = "CreationStartTime"
_FORMATS = ("%Y-%m-%dT%H:%MZ", "%Y-%m-%dT%H:%M:%SZ")  # the documented one; seconds as other times show them

FILTER = Param("Filter", kind=Kind.OBJECT_LIST, max_items=10,
               description=f"Filters: Key {CREATION_START_TIME}, Value a UTC time yyyy-MM-ddTHH:mmZ (created "
                           "at or after it).",
               fields=(Param("Key", description=f"{CREATION_START_TIME}."),
                       Param("Value", description="yyyy-MM-ddTHH:mmZ, UTC.")))
RAISES = (errors.FILTER_KEY_NOT_FOUND, errors.FILTER_VALUE_INVALID)


def created_since(args: dict) -> float | None:
    """The earliest creation time the filters allow (seconds since the epoch); None: no
    filter. A key other than CreationStartTime, or a value not a UTC time, is refused."""
    since = None
    for item in args.get("Filter") or ():
        key, value = item["Key"], item["Value"]
        if key != CREATION_START_TIME:
            raise errors.FILTER_KEY_NOT_FOUND(name=(key or "")[:64])
        at = _utc_time(value or "")
        if at is None:
            raise errors.FILTER_VALUE_INVALID(name=key)
        since = at if since is None else max(since, at)
    return since


def _utc_time(text: str) -> float | None:
    for layout in _FORMATS:
        try:
            return datetime.strptime(text, layout).replace(tzinfo=UTC).timestamp()
        except ValueError:
            continue
    return None
