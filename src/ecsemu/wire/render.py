"""Success and error bodies in JSON and XML, as the real gateway writes them.

A response is a plain dict whose lists already sit inside their wrapper object
(``{"Regions": {"Region": [...]}}``); XML writes such a list as repeated elements named by
its key, so the two formats come from one shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson

JSON_CONTENT_TYPE = "application/json;charset=utf-8"
XML_CONTENT_TYPE = "text/xml;charset=utf-8"
XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>"
RECOMMEND_URL = "https://api.aliyun.com/troubleshoot?q={code}&product=Ecs&requestId={request_id}"


@dataclass(frozen=True)
class WireResponse:
    status: int
    content_type: str
    body: bytes


def success(action: str, payload: dict[str, Any], request_id: str, xml: bool) -> WireResponse:
    body = {"RequestId": request_id, **payload}
    if xml:
        return WireResponse(200, XML_CONTENT_TYPE, _xml_document(f"{action}Response", body))
    return WireResponse(200, JSON_CONTENT_TYPE, _json(body))


def error(status: int, code: str, message: str, request_id: str, host_id: str, xml: bool) -> WireResponse:
    body = {
        "RequestId": request_id,
        "HostId": host_id,
        "Code": code,
        "Message": message,
        "Recommend": RECOMMEND_URL.format(code=code, request_id=request_id),
    }
    if xml:
        return WireResponse(status, XML_CONTENT_TYPE, _xml_document("Error", body))
    if _LONE_SURROGATE.search(message):  # JSON cannot carry them either
        body["Message"] = _LONE_SURROGATE.sub("\ufffd", message)
    return WireResponse(status, JSON_CONTENT_TYPE, _json(body))


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _json(body: dict[str, Any]) -> bytes:
    return orjson.dumps(body)


def _xml_document(root: str, body: dict[str, Any]) -> bytes:
    parts = [XML_DECLARATION, f"<{root}>"]
    _xml_members(body, parts)
    parts.append(f"</{root}>")
    return "".join(parts).encode()


def _xml_members(obj: dict[str, Any], out: list[str]) -> None:
    for key, value in obj.items():
        for item in value if isinstance(value, list) else (value,):
            _xml_element(key, item, out)


def _xml_element(name: str, value: Any, out: list[str]) -> None:
    out.append(f"<{name}>")
    if isinstance(value, dict):
        _xml_members(value, out)
    elif name == "Recommend":
        out.append(f"<![CDATA[{value}]]>")  # the real gateway wraps the URL this way
    else:
        out.append(escape(_xml_text(_scalar(value))))
    out.append(f"</{name}>")


# Characters XML 1.0 cannot hold (controls, lone surrogates, U+FFFE/U+FFFF), e.g. a NUL
# from a parameter name quoted in an error message: each becomes U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities, as xml.sax.saxutils.escape does (whose import
    brings urllib.request and http.client: ~4 ms of every start)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
