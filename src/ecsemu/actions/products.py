"""A product the endpoint answers: its code, API version, endpoint host prefix and actions.

The real gateway serves every product at its own host (``ecs.aliyuncs.com``,
``vpc.cn-hangzhou.aliyuncs.com``); the emulator serves them all on one port, so a request
is given to a product by the host it names, when it names one, else by its ``Version``.
An action name belongs to a product: VPC's DescribeRegions is not ECS's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..errors import ErrorCode
from .declaration import Action


@dataclass(frozen=True)
class Product:
    code: str                   # as the SDKs name it: "Ecs", "Vpc"
    version: str                # the API version it answers, e.g. "2014-05-26"
    host_prefix: str            # its endpoint's first label: ecs.aliyuncs.com, vpc.cn-hangzhou.aliyuncs.com
    actions: dict[str, Action] = field(compare=False)

    @classmethod
    def of(cls, code: str, version: str, host_prefix: str, declared: Iterable[Action]) -> Product:
        return cls(code, version, host_prefix, {action.name: action for action in declared})

    def error_codes(self) -> tuple[ErrorCode, ...]:
        """Every error its actions answer besides the gateway's, each once."""
        found: dict[ErrorCode, None] = {}
        for action in self.actions.values():
            for code in action.error_codes():
                found.setdefault(code)
        return tuple(found)


def named_by_host(products: Sequence[Product], host: str) -> Product | None:
    """The product an ``*.aliyuncs.com`` host names by its first label: ``vpc``,
    ``vpc.cn-hangzhou``, ``vpc-vpc.cn-hangzhou`` (the VPC-internal endpoint),
    ``vpc-cn-hangzhou``; None for any other host (127.0.0.1, localhost)."""
    name = host.rsplit(":", 1)[0].lower() if not host.startswith("[") else ""
    if not name.endswith(".aliyuncs.com"):
        return None
    first = name.split(".", 1)[0]
    for product in products:
        if first == product.host_prefix or first.startswith(product.host_prefix + "-"):
            return product
    return None


def for_request(products: Sequence[Product], host: str, version: str) -> Product | None:
    """The product a request is for: the one its host names, else the one of its Version;
    None when neither names one, or the host names a product of another version."""
    by_host = named_by_host(products, host)
    if by_host is not None:
        return by_host if by_host.version == version else None
    return next((product for product in products if product.version == version), None)
