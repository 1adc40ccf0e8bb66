"""``Filter.N.Key`` / ``Filter.N.Value``. DescribeInstances, DescribeDisks and
DescribeSnapshots define one key, ``CreationStartTime`` (resources created at or after a
UTC minute, ``yyyy-MM-ddTHH:mmZ``); DescribeImages adds ``CreationEndTime`` (at or before),
``NetworkType`` and the hot-plug keys, which are not emulated (refused). Any other key is
refused, never ignored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

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

CREATION_END_TIME = "CreationEndTime"
NETWORK_TYPE = "NetworkType"
HOT_PLUG_KEYS = ("CpuOnlineUpgrade", "CpuOnlineDowngrade", "MemoryOnlineUpgrade", "MemoryOnlineDowngrade")
IMAGE_FILTER = Param("Filter", kind=Kind.OBJECT_LIST, max_items=10,
                     description=f"Filters: {CREATION_START_TIME} / {CREATION_END_TIME} (a UTC time "
                                 f"yyyy-MM-ddTHH:mmZ), {NETWORK_TYPE} (vpc: every image); the hot-plug keys are "
                                 "not emulated (refused).",
                     fields=(Param("Key", description="The filter's key."), Param("Value", description="Its value.")))
IMAGE_RAISES = (*RAISES, errors.UNSUPPORTED_PARAMETER)


class ImageFilters(NamedTuple):
    since: float | None      # created at or after
    until: float | None      # created at or before
    network_type: str | None


def created_since(args: dict) -> float | None:
    """The earliest creation time the filters allow (seconds since the epoch); None: no
    filter. A key other than CreationStartTime, or a value not a UTC time, is refused."""
    since = None
    for item in args.get("Filter") or ():
        key, value = item["Key"], item["Value"]
        if key != CREATION_START_TIME:
            raise errors.FILTER_KEY_NOT_FOUND(name=(key or "")[:64])
        at = utc_time(value or "")
        if at is None:
            raise errors.FILTER_VALUE_INVALID(name=key)
        since = at if since is None else max(since, at)
    return since


def image_filters(args: dict) -> ImageFilters:
    """DescribeImages' filters, checked."""
    since = until = network_type = None
    for item in args.get("Filter") or ():
        key, value = item["Key"] or "", item["Value"] or ""
        if key in HOT_PLUG_KEYS:
            raise errors.UNSUPPORTED_PARAMETER(name=f"Filter.N.Key={key}")
        if key == NETWORK_TYPE:
            network_type = value
            continue
        if key not in (CREATION_START_TIME, CREATION_END_TIME):
            raise errors.FILTER_KEY_NOT_FOUND(name=key[:64])
        at = utc_time(value)
        if at is None:
            raise errors.FILTER_VALUE_INVALID(name=key)
        if key == CREATION_START_TIME:
            since = at if since is None else max(since, at)
        else:
            until = at if until is None else min(until, at)
    return ImageFilters(since, until, network_type)


def utc_time(text: str) -> float | None:
    for layout in _FORMATS:
        try:
            return datetime.strptime(text, layout).replace(tzinfo=UTC).timestamp()
        except ValueError:
            continue
    return None
