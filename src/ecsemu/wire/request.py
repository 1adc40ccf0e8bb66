"""One RPC request as every official client may send it, reduced to plain data.

Parameters come from the query and from an ``application/x-www-form-urlencoded`` body,
merged (pop-core's POST puts everything in the body; Terraform splits them). '+' and %20
both decode to a space; a query that is not fully encoded (Node tea leaves '!' bare) is
taken as it is. Action and Version may be in the parameters or only in the
``x-acs-action``/``x-acs-version`` headers (V3 clients).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class RpcRequest:
    method: str
    path: str
    host: str
    headers: dict[str, str]  # lower-case names; repeated headers joined with ','
    query: list[tuple[str, str]]  # decoded, in wire order
    body: bytes
    params: dict[str, str] = field(default_factory=dict)  # query + form, merged

    @property
    def action(self) -> str | None:
        return self.params.get("Action") or self.headers.get("x-acs-action")

    @property
    def version(self) -> str | None:
        return self.params.get("Version") or self.headers.get("x-acs-version")

    @property
    def is_v3(self) -> bool:
        return self.headers.get("authorization", "").startswith("ACS3-")


def parse_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name_b, value_b in raw:
        name = name_b.decode("latin-1").lower()
        value = value_b.decode("latin-1")
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    return headers


def build_request(method: str, path: str, query_string: bytes, raw_headers, body: bytes) -> RpcRequest:
    headers = parse_headers(raw_headers)
    query = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    params = dict(query)
    content_type = headers.get("content-type", "")
    if body and content_type.split(";", 1)[0].strip().lower() == FORM_CONTENT_TYPE:
        params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return RpcRequest(
        method=method.upper(),
        path=path,
        host=headers.get("host", ""),
        headers=headers,
        query=query,
        body=body,
        params=params,
    )
