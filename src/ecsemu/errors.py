"""Every error the emulator can answer, each declared once: code, HTTP status, message.

The real service sometimes uses one code with different messages in different actions
(``InvalidDiskId.NotFound`` says "DiskId" in one table and "disk" in another), so an entry
is a (code, status, message) triple with a Python name of its own; the code alone is not
a key. Messages may hold ``{placeholders}`` that the raiser fills in.

``ALL`` lists every declared entry, for the error center and the docs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorCode:
    code: str
    status: int
    message: str

    def __call__(self, **fields: str) -> "EcsError":
        """The exception to raise, with the message's placeholders filled in."""
        return EcsError(self, self.message.format(**fields) if fields else self.message)


class EcsError(Exception):
    """An answer the real ECS would give as an error body."""

    def __init__(self, error: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.error = error
        self.message = message

    @property
    def code(self) -> str:
        return self.error.code

    @property
    def status(self) -> int:
        return self.error.status


# --- gateway: protocol, parameters ----------------------------------------------------
MISSING_PARAMETER = ErrorCode(
    "MissingParameter", 400,
    'The input parameter "{name}" that is mandatory for processing this request is not supplied.')
INVALID_PARAMETER = ErrorCode(
    "InvalidParameter", 400, 'The specified parameter "{name}" is not valid.')
INVALID_PARAMETER_FORMAT = ErrorCode(
    "InvalidParameter.Format", 400, "Specified parameter format is not valid.")
INVALID_VERSION = ErrorCode(
    "InvalidVersion", 400, "Specified parameter Version is not valid.")
INVALID_ACTION_NOT_FOUND = ErrorCode(
    "InvalidAction.NotFound", 404, "Specified api is not found, please check your url and method.")
UNSUPPORTED_HTTP_METHOD = ErrorCode(
    "UnsupportedHTTPMethod", 403, "This HTTP method is not supported.")

# --- gateway: authentication ----------------------------------------------------------
# "InvalidParamater" is the real (misspelt) code.
INVALID_SIGNATURE_METHOD = ErrorCode(
    "InvalidParamater", 400, 'The specified parameter "SignatureMethod" is not valid.')
INVALID_SIGNATURE_VERSION = ErrorCode(
    "InvalidParamater", 400, 'The specified parameter "SignatureVersion" is not valid.')
INCOMPLETE_SIGNATURE = ErrorCode(
    "IncompleteSignature", 400, "The request signature does not conform to Aliyun standards.")
SIGNATURE_DOES_NOT_MATCH = ErrorCode(
    "SignatureDoesNotMatch", 400,
    "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}")
SIGNATURE_NONCE_USED = ErrorCode(
    "SignatureNonceUsed", 400, "Specified signature nonce was used already.")
TIMESTAMP_EXPIRED = ErrorCode(
    "InvalidTimeStamp.Expired", 400, "Specified time stamp or date value is expired.")
TIMESTAMP_FORMAT = ErrorCode(
    "InvalidTimeStamp.Format", 400, "Specified time stamp or date value is not well formatted.")
TIMESTAMP_MISSING = ErrorCode(
    "IllegalTimestamp", 400,
    'The input parameter "Timestamp" that is mandatory for processing this request is not supplied.')
ACCESS_KEY_NOT_FOUND = ErrorCode(
    "InvalidAccessKeyId.NotFound", 404, "Specified access key is not found.")

# --- gateway: server side ----------------------------------------------------------------
INTERNAL_ERROR = ErrorCode(
    "InternalError", 500,
    "The request processing has failed due to some unknown error, exception or failure.")

# --- regions and zones -----------------------------------------------------------------
REGION_NOT_FOUND = ErrorCode(
    "InvalidRegionId.NotFound", 404, "The specified RegionId does not exist.")
ACCEPT_LANGUAGE_NOT_FOUND = ErrorCode(
    "InvalidAcceptLanguage.NotFound", 404,
    "Only Chinese (zh-CN), English (en-US), and Japanese (ja) are allowed.")
RESOURCE_TYPE_NOT_FOUND = ErrorCode(
    "InvalidResourceType.NotFound", 404,
    "The ResourceType provided does not exist in our records.")
INSTANCE_CHARGE_TYPE_NOT_FOUND = ErrorCode(
    "InvalidInstanceChargeType.NotFound", 404,
    "The InstanceChargeType does not exist in our records")
INVALID_SPOT_STRATEGY = ErrorCode(
    "InvalidSpotStrategy", 400, "The specified SpotStrategy is not valid.")


ALL: tuple[ErrorCode, ...] = tuple(v for v in globals().values() if isinstance(v, ErrorCode))
