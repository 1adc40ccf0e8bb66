"""The ``ClientToken`` parameter: its checks, and the codes its action answers when a token
is reused (idempotency.py). One declaration per action that takes a token: the gateway
knows an action is idempotent from its parameters alone."""

from __future__ import annotations

from dataclasses import dataclass

from .. import errors
from ..errors import ErrorCode
from .params import Param

MAX_LENGTH = 64
# "A unique, case-sensitive string of up to 64 ASCII characters" (the idempotence guide).
ASCII = r"[\x20-\x7e]*"


@dataclass(frozen=True)
class ClientToken(Param):
    """``mismatch``: the answer to the token sent again with other parameters;
    ``processing``: while the first call with it still runs. The gateway's codes, unless
    the action's own error table names others."""

    mismatch: ErrorCode = errors.IDEMPOTENT_PARAMETER_MISMATCH
    processing: ErrorCode = errors.LAST_TOKEN_PROCESSING

    def error_codes(self) -> list[ErrorCode]:
        return [*super().error_codes(), self.mismatch, self.processing]


def client_token(*, mismatch: ErrorCode = errors.IDEMPOTENT_PARAMETER_MISMATCH,
                 processing: ErrorCode = errors.LAST_TOKEN_PROCESSING) -> ClientToken:
    return ClientToken("ClientToken", max_length=MAX_LENGTH, pattern=ASCII, invalid=errors.INVALID_CLIENT_TOKEN,
                       mismatch=mismatch, processing=processing,
                       description=f"Idempotence token, up to {MAX_LENGTH} ASCII characters: the same "
                                   "request sent again with it answers as the first did.")
