"""An instance's metadata options (RunInstances, CreateInstance, ModifyInstanceMetadataOptions;
DescribeInstances' ``MetadataOptions``): whether its metadata service answers, whether it
asks for a token (hardened mode), and the token's hop limit."""

from __future__ import annotations

ENDPOINTS = ("enabled", "disabled")    # HttpEndpoint
TOKENS = ("optional", "required")      # HttpTokens: "required" is hardened mode
DEFAULT_ENDPOINT = "enabled"
DEFAULT_TOKENS = "optional"
DEFAULT_HOP_LIMIT = 1
MIN_HOP_LIMIT, MAX_HOP_LIMIT = 1, 64   # HttpPutResponseHopLimit: recorded, no hop is counted here


def described(endpoint: str, tokens: str, hop_limit: int) -> dict[str, object]:
    """DescribeInstances' ``MetadataOptions`` of an instance."""
    return {"HttpEndpoint": endpoint, "HttpPutResponseHopLimit": hop_limit, "HttpTokens": tokens}
