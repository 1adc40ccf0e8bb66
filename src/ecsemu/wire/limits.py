"""How much one request may carry, and how long it may take to arrive.

The real gateway publishes no figures; these are far above what any official client sends
(the largest real request, RunInstances with 16 data disks, 20 tags and 32 KB of UserData,
is under 64 KB) and low enough that no request can take unbounded memory or time. Each is
checked as early as it can be: the head while it is parsed, the body while it streams in,
the parameter count before any parameter is read (``read_bounded`` is the one way a body
is read, by the RPC endpoint and the control plane alike). docs/limits.md lists them with
the answers each gives.
"""

from __future__ import annotations

from collections.abc import AsyncIterable

MAX_TARGET_BYTES = 65_535          # request target (path and query): httptools' URL parser
                                   # keeps offsets in 16 bits and refuses longer ones
MAX_HEADER_BYTES = 64 * 1024       # all header names and values together
MAX_BODY_BYTES = 1024 * 1024       # an RPC request's body (form parameters)
MAX_PARAMETERS = 1000              # query and form parameters together
HEAD_SECONDS = 20.0                # from a connection's (or request's) first byte to the end of its head
BODY_SECONDS = 60.0                # to receive a whole RPC body once the head is in
LINGER_SECONDS = 10.0              # reading and dropping the rest of a body answered early
LOG_FIELD_CHARS = 2048             # characters of one value in an access-log line


class BodyTooLarge(Exception):
    """A body past its limit: refused before the rest of it is read."""


async def read_bounded(chunks: AsyncIterable[bytes], declared_length: str | None, limit: int) -> bytes:
    """A body, refused (BodyTooLarge) as soon as it is known to pass ``limit`` bytes: at once
    when its Content-Length says so, else as soon as its chunks do. Never more than
    ``limit`` bytes in memory, whatever is sent."""
    if declared_length is not None and declared_length.isdigit() \
            and (len(declared_length) > 20 or int(declared_length) > limit):
        raise BodyTooLarge()
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge()
        parts.append(chunk)
    return b"".join(parts)
