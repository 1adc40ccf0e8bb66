"""One RPC request as every official client may send it, reduced to plain data.

Parameters come from the query and from an ``application/x-www-form-urlencoded`` body,
merged (pop-core's POST puts everything in the body; Terraform splits them). '+' and %20
both decode to a space; a query that is not fully encoded (Node tea leaves '!' bare) is
taken as it is. Action and Version may be in the parameters or only in the
``x-acs-action``/``x-acs-version`` headers (V3 clients).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


@dataclass(slots=True)
class RpcRequest:
    method: str
    path: str
    host: str
    headers: dict[str, str]  # lower-case names; repeated headers joined with ','
    query: list[tuple[str, str]]  # decoded, in wire order
    body: bytes
    params: dict[str, str]  # query + form, merged
    scheme: str = "http"

    @property
    def action(self) -> str | None:
        return self.params.get("Action") or self.headers.get("x-acs-action")

    @property
    def version(self) -> str | None:
        return self.params.get("Version") or self.headers.get("x-acs-version")

    @property
    def is_v3(self) -> bool:
        return self.headers.get("authorization", "").startswith("ACS3-")


def parse_pairs(text: str) -> list[tuple[str, str]]:
    """``a=1&b=x+y&c=`` -> pairs, '+' and %XY decoded, empty values kept. Like
    ``urllib.parse.parse_qsl(keep_blank_values=True)``, without its cost on plain values."""
    pairs = []
    for part in text.split("&"):
        if part:
            name, _, value = part.partition("=")
            if "%" in value or "+" in value:
                value = _decode(value)
            if "%" in name or "+" in name:
                name = _decode(name)
            pairs.append((name, value))
    return pairs


# "3A" and "3a" -> ":" for every ASCII character: the escapes clients send in practice.
_ASCII_BY_HEX = {f"{i:02{case}}": chr(i) for i in range(128) for case in "Xx"}


def _decode(text: str) -> str:
    text = text.replace("+", " ")
    head, *pieces = text.split("%")
    decoded = [head]
    for piece in pieces:
        char = _ASCII_BY_HEX.get(piece[:2])
        if char is None:  # a non-ASCII (UTF-8) or malformed escape: the general decoder
            return unquote(text)
        decoded.append(char)
        decoded.append(piece[2:])
    return "".join(decoded)


def parse_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name_b, value_b in raw:
        name = name_b.decode("latin-1").lower()
        value = value_b.decode("latin-1")
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    return headers


def build_request(method: str, path: str, query_string: bytes, raw_headers, body: bytes,
                  scheme: str = "http") -> RpcRequest:
    headers = parse_headers(raw_headers)
    query = parse_pairs(query_string.decode("utf-8", "replace"))
    params = dict(query)
    content_type = headers.get("content-type", "")
    if body and content_type.split(";", 1)[0].strip().lower() == FORM_CONTENT_TYPE:
        params.update(parse_pairs(body.decode("utf-8", "replace")))
    return RpcRequest(
        method=method.upper(),
        path=path,
        host=headers.get("host", ""),
        headers=headers,
        query=query,
        body=body,
        params=params,
        scheme=scheme,
    )
