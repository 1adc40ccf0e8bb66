"""An instance's metadata options: the parameters RunInstances and CreateInstance take,
ModifyInstanceMetadataOptions, and the ``MetadataOptions`` DescribeInstances shows. What
they do is the metadata service's (guest/metadata.py)."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..domain import metadata_options as options
from ..store.rows import assign
from ..store.schema import instances
from .common import REGION_ID
from .declaration import Action, Args, CallContext
from .instances import INSTANCE_ID, find_instance
from .params import Param, Type

FAMILY = "Instances"


def _params(default: bool) -> tuple[Param, ...]:
    """The three options; with ``default``, each absent one is its default (a launch),
    without, None (a change that leaves it as it is)."""
    return (
        Param("HttpEndpoint", enum=options.ENDPOINTS, invalid=errors.INVALID_HTTP_ENDPOINT,
              default=options.DEFAULT_ENDPOINT if default else None,
              description="Metadata service: enabled (default) or disabled."),
        Param("HttpTokens", enum=options.TOKENS, invalid=errors.INVALID_HTTP_TOKENS,
              default=options.DEFAULT_TOKENS if default else None,
              description="Metadata tokens: optional (default) or required (hardened mode)."),
        Param("HttpPutResponseHopLimit", type=Type.INTEGER, minimum=options.MIN_HOP_LIMIT,
              maximum=options.MAX_HOP_LIMIT, invalid=errors.INVALID_HOP_LIMIT,
              default=options.DEFAULT_HOP_LIMIT if default else None,
              description="Hop limit of a metadata token, 1-64 (recorded)."),
    )


LAUNCH_PARAMS = _params(default=True)


def launch_columns(args: Args) -> dict[str, Any]:
    """The instance columns a launch's options set."""
    return {"metadata_http_endpoint": args["HttpEndpoint"], "metadata_http_tokens": args["HttpTokens"],
            "metadata_hop_limit": args["HttpPutResponseHopLimit"]}


def modify_instance_metadata_options(ctx: CallContext, args: Args) -> dict[str, Any]:
    changes = {column: args[name] for name, column in (("HttpEndpoint", "metadata_http_endpoint"),
                                                       ("HttpTokens", "metadata_http_tokens"),
                                                       ("HttpPutResponseHopLimit", "metadata_hop_limit"))
               if args[name] is not None}
    with ctx.emulator.unit_of_work() as conn:
        instance = find_instance(conn, ctx, args["InstanceId"], lock=True)
        if instance.region_id != args["RegionId"]:
            raise errors.INSTANCE_NOT_FOUND()
        if changes:
            assign(conn, instances, instance.id, **changes)
    return {}


ACTIONS = (
    Action("ModifyInstanceMetadataOptions", FAMILY,
           "Turns an instance's metadata service on or off and sets whether it asks for a token "
           "(hardened mode); an option not sent stays as it is.",
           params=(REGION_ID, INSTANCE_ID, *_params(default=False)),
           handler=modify_instance_metadata_options,
           raises=(errors.INSTANCE_NOT_FOUND,)),
)
