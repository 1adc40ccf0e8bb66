"""Cloud Assistant commands: CreateCommand, DescribeCommands, ModifyCommand, DeleteCommand.

A command is a script of a type (RunShellScript for Linux instances; RunBatScript and
RunPowerShellScript for Windows ones), kept per account and region, its content as base64.
InvokeCommand and RunCommand (invocations.py) run them.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from sqlalchemy import Row

from .. import errors
from ..clock import utc_iso
from ..domain import cloud_assistant as rules
from ..domain.ids import new_id
from ..store import commands as command_store
from ..store.rows import add, assign, find, remove
from ..store.schema import commands
from .common import (
    CLIENT_TOKEN,
    NEXT_TOKEN,
    REGION_ID,
    RESOURCE_GROUP_FILTER,
    RESOURCE_GROUP_ID,
    Listing,
    max_results,
    paginate,
    resource_group_in,
)
from .declaration import Action, Args, CallContext
from .params import Kind, Param, Type

FAMILY = "Cloud Assistant"


# --- content -------------------------------------------------------------------------------

def content_in(args: Args, default: str) -> str:
    """``CommandContent`` as base64, whatever ``ContentEncoding`` it came in: PlainText or
    Base64 in any case, anything else ``default`` (CreateCommand's is Base64, RunCommand's
    PlainText, as the real service reads them); at most 24 KB of base64."""
    content = args["CommandContent"]
    encoding = (args.get("ContentEncoding") or "").lower()
    if encoding not in ("plaintext", "base64"):
        encoding = default.lower()
    if encoding == "base64":
        try:
            base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise errors.INVALID_PARAMETER(name="CommandContent") from None
        encoded = content
    else:
        encoded = base64.b64encode(content.encode()).decode("ascii")
    if len(encoded) > rules.CONTENT_MAX:
        raise errors.CMD_CONTENT_TOO_LONG()
    return encoded


def text_of(encoded: str) -> str:
    """A command's content (base64) as the script it is."""
    return base64.b64decode(encoded).decode("utf-8", "replace")


def content_out(encoded: str, encoding: str | None) -> str:
    """Content or output as a Describe returns it: base64 unless PlainText is asked for."""
    return text_of(encoded) if (encoding or "").lower() == "plaintext" else encoded


def parameter_names_in(encoded: str, enabled: bool) -> list[str]:
    """The custom parameters the content names, when they are enabled; checked."""
    if not enabled:
        return []
    try:
        names = rules.parameter_names(text_of(encoded))
    except rules.BadParameterName as bad:
        raise (errors.CMD_PARAM_NAME_TOO_LONG if bad.args[0] == "length" else errors.CMD_PARAM_NAME_INVALID)() \
            from None
    if len(names) > rules.PARAMETER_NAMES_MAX:
        raise errors.CA_PARAMETER_COUNT()
    return names


def find_command(conn: Any, ctx: CallContext, region_id: str, command_id: str | None) -> Row:
    """The account's command with that ID in the region (a RunCommand's unkept one too)."""
    row = find(conn, commands, ctx.account_id, command_id)
    if row is None or row.region_id != region_id:
        raise errors.CMD_ID_NOT_FOUND()
    return row


# --- the actions -----------------------------------------------------------------------------

def create_command(ctx: CallContext, args: Args) -> dict[str, Any]:
    encoded = content_in(args, "Base64")
    names = parameter_names_in(encoded, args["EnableParameter"])
    resource_group = resource_group_in(args)
    region_id, command_id = args["RegionId"], new_id("c", args["RegionId"])
    with ctx.emulator.unit_of_work() as conn:
        if command_store.count_kept(conn, ctx.account_id, region_id) >= rules.COMMANDS_PER_REGION:
            raise errors.CMD_COUNT_QUOTA()
        add(conn, commands, id=command_id, account_id=ctx.account_id, region_id=region_id, created_at=ctx.now(),
            resource_group_id=resource_group, name=args["Name"], description=args["Description"] or "",
            type=args["Type"], content=encoded, working_dir=args["WorkingDir"] or "", timeout=args["Timeout"],
            enable_parameter=args["EnableParameter"], parameter_names=json.dumps(names), kept=True, invoke_times=0)
    return {"CommandId": command_id}


def describe_commands(ctx: CallContext, args: Args) -> dict[str, Any]:
    where = command_store.listing_filters(command_id=args["CommandId"], name=args["Name"], command_type=args["Type"],
                                          description=args["Description"], provider=args["Provider"],
                                          resource_group_id=args["ResourceGroupId"])
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        rows, paging = paginate(conn, LISTED, args, ctx.account_id, where=where, token_max=50)
    return {"Commands": {"Command": [_command_view(row, args["ContentEncoding"]) for row in rows]}, **paging}


def modify_command(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        row = find_command(conn, ctx, args["RegionId"], args["CommandId"])
        changes: dict[str, Any] = {}
        for param, column in (("Name", "name"), ("Description", "description"), ("WorkingDir", "working_dir"),
                              ("Timeout", "timeout")):
            if args[param] is not None:
                changes[column] = args[param]
        if args["CommandContent"] is not None:
            encoded = content_in(args, "Base64")
            changes["content"] = encoded
            changes["parameter_names"] = json.dumps(parameter_names_in(encoded, row.enable_parameter))
        if changes:
            assign(conn, commands, row.id, **changes)
    return {}


def delete_command(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        row = find_command(conn, ctx, args["RegionId"], args["CommandId"])
        remove(conn, commands, row.id)
    return {}


def _command_view(row: Row, encoding: str | None) -> dict[str, Any]:
    names = json.loads(row.parameter_names)
    return {
        "CommandId": row.id, "Name": row.name, "Type": row.type, "Description": row.description,
        "CommandContent": content_out(row.content, encoding), "WorkingDir": row.working_dir,
        "Timeout": row.timeout, "EnableParameter": row.enable_parameter, "InvokeTimes": row.invoke_times,
        "CreationTime": utc_iso(row.created_at), "ParameterNames": {"ParameterName": names},
        "ParameterDefinitions": {"ParameterDefinition": [
            {"ParameterName": name, "Required": False, "DefaultValue": "", "Description": "", "PatternRegex": "",
             "PossibleValues": {"PossibleValue": []}} for name in names]},
        "Provider": "", "Category": "", "Latest": True, "Version": 1, "Launcher": "",
        "ResourceGroupId": row.resource_group_id, "Tags": {"Tag": []},
    }


# --- declarations ------------------------------------------------------------------------------

LISTED = Listing(commands)

NAME = Param("Name", max_length=rules.NAME_MAX, invalid=errors.CMD_NAME_TOO_LONG,
             description=f"Command name, up to {rules.NAME_MAX} characters.")
DESCRIPTION = Param("Description", max_length=rules.DESCRIPTION_MAX, invalid=errors.CMD_DESCRIPTION_TOO_LONG,
                    description=f"Description, up to {rules.DESCRIPTION_MAX} characters.")
TYPE = Param("Type", required=True, enum=tuple(rules.COMMAND_TYPES), invalid=errors.CMD_TYPE_NOT_FOUND,
             description="RunShellScript (Linux), RunBatScript or RunPowerShellScript (Windows).")
CONTENT = Param("CommandContent", required=True,
                description="The script, plain text or base64 (ContentEncoding); {{name}} for a custom parameter "
                            "when EnableParameter.")
CONTENT_ENCODING = Param("ContentEncoding", default="PlainText",
                         description="PlainText (default) or Base64, in any case; another value is PlainText.")
CREATE_ENCODING = Param("ContentEncoding", default="Base64",
                        description="Base64 (default) or PlainText, in any case; another value is Base64.")
WORKING_DIR = Param("WorkingDir", max_length=rules.WORKING_DIR_MAX, invalid=errors.CA_WORKING_DIR_INVALID,
                    description=f"Directory it runs in; default {rules.DEFAULT_WORKING_DIR} on Linux.")
TIMEOUT = Param("Timeout", type=Type.LONG, minimum=1, maximum=rules.MAX_TIMEOUT,
                description="Seconds before the agent kills it (ExecutionTimeout); default "
                            f"{rules.DEFAULT_TIMEOUT}.")
ENABLE_PARAMETER = Param("EnableParameter", type=Type.BOOLEAN, default=False,
                         description="Whether {{name}}s in the content are custom parameters.")
OUTPUT_ENCODING = Param("ContentEncoding", default="Base64",
                        description="Base64 (default) or PlainText: how CommandContent and Output are returned.")
LAUNCHER = Param("Launcher", supported=False, description="A program that runs the script (not emulated).")
TAG = Param("Tag", kind=Kind.OBJECT_LIST, supported=False, description="Tags (not emulated for commands).",
            fields=(Param("Key"), Param("Value")))
COMMAND_ID = Param("CommandId", required=True, description="The command, c-….")

COMMAND_RAISES = (errors.CMD_CONTENT_TOO_LONG, errors.INVALID_PARAMETER, errors.CMD_PARAM_NAME_INVALID,
                  errors.CMD_PARAM_NAME_TOO_LONG, errors.CA_PARAMETER_COUNT)

ACTIONS = (
    Action("CreateCommand", FAMILY, "Keeps a command to run with InvokeCommand.",
           params=(REGION_ID, Param("Name", required=True, max_length=rules.NAME_MAX,
                                    invalid=errors.CMD_NAME_TOO_LONG, description="Command name."),
                   TYPE, CONTENT, CREATE_ENCODING, DESCRIPTION, WORKING_DIR,
                   Param("Timeout", type=Type.LONG, minimum=1, maximum=rules.MAX_TIMEOUT,
                         default=rules.DEFAULT_TIMEOUT, description=TIMEOUT.description),
                   ENABLE_PARAMETER, RESOURCE_GROUP_ID, CLIENT_TOKEN, LAUNCHER, TAG),
           handler=create_command,
           raises=(*COMMAND_RAISES, errors.CMD_COUNT_QUOTA, errors.RESOURCE_GROUP_NOT_FOUND)),
    Action("DescribeCommands", FAMILY, "Lists the commands kept, oldest first.",
           params=(REGION_ID, Param("CommandId", description="Only this command."),
                   Param("Name", description="Only commands of this name; a trailing * matches a prefix."),
                   Param("Type", description="Only commands of this type."),
                   Param("Description", description="Only commands with this description."),
                   Param("Provider", description="Public commands' provider: none are emulated, so nothing matches."),
                   Param("Latest", type=Type.BOOLEAN, description="Only the latest versions (every command has one)."),
                   OUTPUT_ENCODING, RESOURCE_GROUP_FILTER, TAG,
                   Param("PageNumber", type=Type.INTEGER, default=1, minimum=1, invalid=errors.CA_PAGE_NUMBER,
                         description="Page, from 1."),
                   Param("PageSize", type=Type.INTEGER, default=10, minimum=1, maximum=50,
                         invalid=errors.CA_PAGE_SIZE, description="Entries a page, 1 to 50."),
                   NEXT_TOKEN, max_results(50)),
           handler=describe_commands, raises=(errors.INVALID_PARAMETER,)),
    Action("ModifyCommand", FAMILY, "Changes a command's name, description, content (base64), directory or "
                                    "timeout.",
           params=(REGION_ID, COMMAND_ID, NAME, DESCRIPTION,
                   Param("CommandContent", description="The new content, base64."),
                   WORKING_DIR, TIMEOUT, LAUNCHER),
           handler=modify_command, raises=(*COMMAND_RAISES, errors.CMD_ID_NOT_FOUND)),
    Action("DeleteCommand", FAMILY, "Deletes a command (its invocations stay).",
           params=(REGION_ID, COMMAND_ID),
           handler=delete_command, raises=(errors.CMD_ID_NOT_FOUND,)),
)
