"""Running Cloud Assistant commands: InvokeCommand, RunCommand, DescribeInvocations,
DescribeInvocationResults, StopInvocation.

An invocation is written with one result per instance in the call's transaction: Pending
where the instance is Running and its guest has an agent port, which the Cloud Assistant
(cloud_assistant.py) then runs once the call has committed; at once Aborted where not, with
the real service's code: InstanceNotRunning, or ClientNotRunning (state-only mode, where no
guest runs, answers that for every Running instance). The call itself returns at once.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from sqlalchemy import Row

from .. import errors
from ..clock import utc_iso
from ..cloud_assistant import Job
from ..domain import cloud_assistant as rules
from ..domain.ids import new_id
from ..store import commands as command_store
from ..store import instances as instance_store
from ..store import invocations as invocation_store
from ..store.rows import add, find
from ..store.schema import commands, invocations
from .commands import (
    CONTENT,
    CONTENT_ENCODING,
    DESCRIPTION,
    ENABLE_PARAMETER,
    LAUNCHER,
    OUTPUT_ENCODING,
    TAG,
    TIMEOUT,
    TYPE,
    WORKING_DIR,
    content_in,
    content_out,
    find_command,
    parameter_names_in,
    text_of,
)
from .common import CLIENT_TOKEN, NEXT_TOKEN, REGION_ID, RESOURCE_GROUP_FILTER, Listing, max_results, paginate
from .declaration import Action, Args, CallContext
from .params import Kind, Param, Type

FAMILY = "Cloud Assistant"


# --- invoking --------------------------------------------------------------------------------

def invoke_command(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        command = find_command(conn, ctx, args["RegionId"], args["CommandId"])
        invoke_id, jobs = _invoke(ctx, conn, command, args)
    ctx.emulator.assistant.dispatch(jobs)
    return {"InvokeId": invoke_id}


def run_command(ctx: CallContext, args: Args) -> dict[str, Any]:
    """CreateCommand and InvokeCommand in one; the command is kept (DescribeCommands shows it)
    only with KeepCommand."""
    kept = args["KeepCommand"]
    encoded = content_in(args, "PlainText")
    names = parameter_names_in(encoded, args["EnableParameter"])
    region_id, command_id = args["RegionId"], new_id("c", args["RegionId"])
    with ctx.emulator.unit_of_work() as conn:
        if kept and command_store.count_kept(conn, ctx.account_id, region_id) >= rules.COMMANDS_PER_REGION:
            raise errors.CMD_COUNT_QUOTA()
        add(conn, commands, id=command_id, account_id=ctx.account_id, region_id=region_id, created_at=ctx.now(),
            resource_group_id=args["ResourceGroupId"] or "", name=args["Name"] or "", type=args["Type"],
            description=args["Description"] or "", content=encoded, working_dir=args["WorkingDir"] or "",
            timeout=args["Timeout"] or rules.DEFAULT_TIMEOUT, enable_parameter=args["EnableParameter"],
            parameter_names=json.dumps(names), kept=kept, invoke_times=0)
        command = find_command(conn, ctx, region_id, command_id)
        invoke_id, jobs = _invoke(ctx, conn, command, {**args, "WorkingDir": None, "Timeout": None})
    ctx.emulator.assistant.dispatch(jobs)
    return {"CommandId": command_id, "InvokeId": invoke_id}


def _invoke(ctx: CallContext, conn: Any, command: Row, args: Args) -> tuple[str, list[Job]]:
    """Writes the invocation and its instances' results; the jobs to start once it commits."""
    values = _parameters(command, args["Parameters"])
    targets = instance_store.every_named(conn, ctx.account_id, args["RegionId"], args["InstanceId"])
    if targets is None:
        raise errors.CA_INSTANCE_NOT_FOUND()
    if not all(rules.runs_on(command.type, row.os_type) for row in targets):
        raise errors.CA_INSTANCE_NOT_MATCH()
    region_id, invoke_id, now = args["RegionId"], new_id("t", args["RegionId"]), ctx.now()
    timeout = args["Timeout"] or command.timeout
    working_dir = args["WorkingDir"] or command.working_dir or rules.DEFAULT_WORKING_DIR
    username = args["Username"] or rules.DEFAULT_USERNAME
    text = text_of(command.content)
    custom = rules.substituted(text, values, {}) if command.enable_parameter else text
    add(conn, invocations, id=invoke_id, account_id=ctx.account_id, region_id=region_id, created_at=now,
        resource_group_id=args["ResourceGroupId"] or "", command_id=command.id, command_name=command.name,
        command_type=command.type, command_description=command.description,
        content=base64.b64encode(custom.encode()).decode("ascii"), parameters=json.dumps(values),
        repeat_mode=args["RepeatMode"], timeout=timeout, working_dir=working_dir, username=username)
    outcomes, jobs = [], []
    for row in targets:
        if row.status != "Running":
            outcomes.append((row.id, rules.ABORTED, "InstanceNotRunning"))
        elif ctx.emulator.instances.agent_socket(row.id) is None:
            outcomes.append((row.id, rules.ABORTED, "ClientNotRunning"))
        else:
            outcomes.append((row.id, rules.PENDING, ""))
            built_in = {"ACS::RegionId": region_id, "ACS::AccountId": ctx.account_id, "ACS::InstanceId": row.id,
                        "ACS::InstanceName": row.instance_name, "ACS::InvokeId": invoke_id,
                        "ACS::CommandId": command.id}
            script = rules.substituted(custom, {}, built_in) if command.enable_parameter else custom
            jobs.append(Job(invoke_id, row.id, script.encode(), timeout, working_dir,
                            "" if username == rules.DEFAULT_USERNAME else username))
    invocation_store.add_results(conn, invoke_id, ctx.account_id, now, outcomes)
    command_store.count_invocation(conn, command.id)
    return invoke_id, jobs


def _parameters(command: Row, text: str | None) -> dict[str, str]:
    """``Parameters`` (a JSON object of names to values), checked against the command's."""
    if not text:
        return {}
    try:
        given = json.loads(text)
    except (ValueError, RecursionError):
        raise errors.CA_PARAMETERS_INVALID() from None
    if not isinstance(given, dict) or any(isinstance(v, (dict, list)) for v in given.values()):
        raise errors.CA_PARAMETERS_INVALID()
    if not given:
        return {}
    if not command.enable_parameter:
        raise errors.CA_PARAMETERS_DISABLED()
    if len(given) > rules.PARAMETERS_MAX:
        raise errors.CA_PARAMETER_COUNT()
    if any(not name or len(name) > rules.PARAMETER_NAME_MAX for name in given):
        raise errors.CA_PARAMETER_KEY_TOO_LONG()
    defined = {name.lower() for name in json.loads(command.parameter_names)}
    if any(name.lower() not in defined for name in given):
        raise errors.CA_PARAMETER_NOT_MATCHED()
    return {name: "" if value is None else _text(value) for name, value in given.items()}


def _text(value: Any) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


# --- stopping ----------------------------------------------------------------------------------

def stop_invocation(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Pending parts are Cancelled, running ones Terminated (their agents kill them)."""
    with ctx.emulator.unit_of_work() as conn:
        row = find(conn, invocations, ctx.account_id, args["InvokeId"])
        if row is None or row.region_id != args["RegionId"]:
            raise errors.INVOKE_ID_NOT_FOUND()
        running = invocation_store.stop(conn, row.id, args["InstanceId"], ctx.now())
    ctx.emulator.assistant.kill(row.id, running)
    return {}


# --- describing --------------------------------------------------------------------------------

def describe_invocations(ctx: CallContext, args: Args) -> dict[str, Any]:
    # Checked here, not by an enum: these are an invocation's statuses, not a resource's
    # (domain/status.py's machines own those, and the enum filters built from them).
    if args["InvokeStatus"] is not None and args["InvokeStatus"] not in rules.INVOKE_STATUSES:
        raise errors.INVALID_PARAMETER(name="InvokeStatus")
    where = invocation_store.listing_filters(
        command_id=args["CommandId"], command_name=args["CommandName"], command_type=args["CommandType"],
        instance_id=args["InstanceId"], invoke_status=args["InvokeStatus"], repeat_mode=args["RepeatMode"],
        resource_group_id=args["ResourceGroupId"], timed=args["Timed"])
    ids = [args["InvokeId"]] if args["InvokeId"] else None
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        rows, paging = paginate(conn, LISTED, args, ctx.account_id, ids=ids, where=where, token_max=50)
        results = invocation_store.results_of(conn, [row.id for row in rows])
    output = args["IncludeOutput"]
    return {"Invocations": {"Invocation": [
        _invocation_view(row, results.get(row.id, []), args["ContentEncoding"], output) for row in rows]}, **paging}


def describe_invocation_results(ctx: CallContext, args: Args) -> dict[str, Any]:
    if args["InvokeRecordStatus"] is not None and args["InvokeRecordStatus"] not in rules.RECORD_FILTER:
        raise errors.INVALID_PARAMETER(name="InvokeRecordStatus")
    token = args["NextToken"] or ""
    by_token = bool(token) or args["MaxResults"] is not None
    if by_token:
        size = min(max(args["MaxResults"] or 10, 1), 50)
        offset = _offset(token)
    else:
        size = args["PageSize"]
        offset = (args["PageNumber"] - 1) * size
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        rows, total = invocation_store.results_page(
            conn, ctx.account_id, args["RegionId"], invoke_id=args["InvokeId"], instance_id=args["InstanceId"],
            command_id=args["CommandId"], record_status=args["InvokeRecordStatus"],
            resource_group_id=args["ResourceGroupId"], offset=offset, limit=size)
    body: dict[str, Any] = {
        "InvocationResults": {"InvocationResult": [_result_view(row, args["ContentEncoding"]) for row in rows]},
        "TotalCount": total, "PageSize": size,
    }
    if by_token:
        body["NextToken"] = _token(offset + size) if offset + size < total else ""
    else:
        body["PageNumber"] = args["PageNumber"]
    return {"Invocation": body}


def _offset(token: str) -> int:
    if not token:
        return 0
    try:
        offset = int(base64.urlsafe_b64decode(token.encode()[:64]).decode())
    except (ValueError, UnicodeDecodeError):
        raise errors.INVALID_PARAMETER(name="NextToken") from None
    if not 0 <= offset <= MAX_OFFSET:
        raise errors.INVALID_PARAMETER(name="NextToken")
    return offset


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(str(offset).encode()).decode()


def _invocation_view(row: Row, results: list[Row], encoding: str | None, output: bool) -> dict[str, Any]:
    statuses = [result.invocation_status for result in results]
    return {
        "InvokeId": row.id, "CommandId": row.command_id, "CommandName": row.command_name,
        "CommandType": row.command_type, "CommandDescription": row.command_description,
        "CommandContent": content_out(row.content, encoding), "CreationTime": utc_iso(row.created_at),
        "InvocationStatus": rules.invocation_status(statuses), "InvokeStatus": rules.invoke_status(statuses),
        "Parameters": row.parameters, "RepeatMode": row.repeat_mode, "Timed": False, "Frequency": "",
        "Timeout": row.timeout, "Username": row.username, "WorkingDir": row.working_dir, "Launcher": "",
        "ContainerId": "", "ContainerName": "", "TerminationMode": "", "OssOutputDelivery": "",
        "Tags": {"Tag": []},
        "InvokeInstances": {"InvokeInstance": [_instance_view(result, encoding, output) for result in results]},
    }


def _instance_view(result: Row, encoding: str | None, output: bool) -> dict[str, Any]:
    view = {
        "InstanceId": result.instance_id, "InvocationStatus": result.invocation_status,
        "InstanceInvokeStatus": rules.record_status(result.invocation_status),
        "CreationTime": utc_iso(result.created_at), "UpdateTime": utc_iso(result.updated_at),
        "StartTime": utc_iso(result.start_time), "FinishTime": utc_iso(result.finish_time),
        "StopTime": utc_iso(result.stop_time), "ErrorCode": result.error_code, "ErrorInfo": result.error_info,
        "Dropped": result.dropped, "Repeats": result.repeats, "Timed": False,
    }
    if result.exit_code is not None:
        view["ExitCode"] = result.exit_code
    if output:
        view["Output"] = content_out(result.output, encoding)
    return view


def _result_view(row: Row, encoding: str | None) -> dict[str, Any]:
    view = {
        "InvokeId": row.invoke_id, "InstanceId": row.instance_id, "CommandId": row.command_id,
        "InvocationStatus": row.invocation_status, "InvokeRecordStatus": rules.record_status(row.invocation_status),
        "Output": content_out(row.output, encoding), "Dropped": row.dropped, "ErrorCode": row.error_code,
        "ErrorInfo": row.error_info, "StartTime": utc_iso(row.start_time), "FinishedTime": utc_iso(row.finish_time),
        "StopTime": utc_iso(row.stop_time), "Repeats": row.repeats, "Username": row.username,
        "Launcher": "", "ContainerId": "", "ContainerName": "", "TerminationMode": "", "Tags": {"Tag": []},
    }
    if row.exit_code is not None:
        view["ExitCode"] = row.exit_code
    return view


# --- declarations ------------------------------------------------------------------------------

LISTED = Listing(invocations)
MAX_OFFSET = 2**31   # a NextToken's position: far past any listing, within every store's integers

INSTANCE_IDS = Param("InstanceId", kind=Kind.LIST, required=True, max_items=rules.INSTANCES_PER_INVOCATION,
                     missing=errors.CA_INSTANCE_ID_MISSING, invalid=errors.CA_INSTANCE_IDS_LIMIT,
                     description=f"Instances to run it on, 1 to {rules.INSTANCES_PER_INVOCATION} (InstanceId.N).")
PARAMETERS = Param("Parameters", description='Custom parameters\' values, a JSON object: {"name": "value"}.')
# Only Once is emulated: a schedule or a reboot to wait for is refused, never dropped.
REPEAT_MODE = Param("RepeatMode", default="Once", supported=False,
                    enum=("Once", "Period", "NextRebootOnly", "EveryReboot", "DryRun"),
                    invalid=errors.CA_REPEAT_MODE_NOT_FOUND, description="Once (the only one emulated).")
USERNAME = Param("Username", max_length=rules.USERNAME_MAX, invalid=errors.CA_USERNAME_TOO_LONG,
                 description=f"User it runs as; default {rules.DEFAULT_USERNAME}.")
RESOURCE_GROUP = Param("ResourceGroupId", description="Resource group the invocation is filed under.")
NOT_EMULATED = tuple(Param(name, supported=False, description="Not emulated.") for name in (
    "Frequency", "ContainerId", "ContainerName", "OssOutputDelivery", "TerminationMode", "WindowsPasswordName"))
RESOURCE_TAG = Param("ResourceTag", kind=Kind.OBJECT_LIST, supported=False, fields=(Param("Key"), Param("Value")),
                     description="Instances chosen by tag (not emulated: name them).")
TIMED = Param("Timed", type=Type.BOOLEAN, description="Deprecated; no effect, as in the real API.")
INVOKE_RAISES = (errors.CA_INSTANCE_NOT_FOUND, errors.CA_INSTANCE_NOT_MATCH, errors.CA_PARAMETERS_INVALID,
                 errors.CA_PARAMETERS_DISABLED, errors.CA_PARAMETER_COUNT, errors.CA_PARAMETER_KEY_TOO_LONG,
                 errors.CA_PARAMETER_NOT_MATCHED)
RUN_PARAMS = (INSTANCE_IDS, PARAMETERS, REPEAT_MODE, TIMED, USERNAME, RESOURCE_GROUP, CLIENT_TOKEN, LAUNCHER, TAG,
              RESOURCE_TAG, *NOT_EMULATED)
PAGE_NUMBER = Param("PageNumber", type=Type.INTEGER, default=1, minimum=1, invalid=errors.CA_PAGE_NUMBER,
                    description="Page, from 1.")
PAGE_SIZE = Param("PageSize", type=Type.INTEGER, default=10, minimum=1, maximum=50, invalid=errors.CA_PAGE_SIZE,
                  description="Entries a page, 1 to 50.")

ACTIONS = (
    Action("InvokeCommand", FAMILY, "Runs a kept command on instances; returns at once with the InvokeId.",
           params=(REGION_ID, Param("CommandId", required=True, description="The command, c-…."),
                   Param("Timeout", type=Type.LONG, minimum=1, maximum=rules.MAX_TIMEOUT,
                         description="Seconds; default the command's."),
                   Param("WorkingDir", max_length=rules.WORKING_DIR_MAX, invalid=errors.CA_WORKING_DIR_INVALID,
                         description="Directory; default the command's."),
                   *RUN_PARAMS),
           handler=invoke_command, raises=(errors.CMD_ID_NOT_FOUND, *INVOKE_RAISES)),
    Action("RunCommand", FAMILY, "Makes a command and runs it on instances; returns at once with the InvokeId.",
           params=(REGION_ID, TYPE, CONTENT, CONTENT_ENCODING,
                   Param("Name", max_length=128, invalid=errors.CMD_NAME_TOO_LONG, description="Command name."),
                   DESCRIPTION, WORKING_DIR, TIMEOUT, ENABLE_PARAMETER,
                   Param("KeepCommand", type=Type.BOOLEAN, default=False,
                         description="Keep the command (DescribeCommands, InvokeCommand)."),
                   *RUN_PARAMS),
           handler=run_command,
           raises=(errors.CMD_CONTENT_TOO_LONG, errors.INVALID_PARAMETER, errors.CMD_PARAM_NAME_INVALID,
                   errors.CMD_PARAM_NAME_TOO_LONG, errors.CMD_COUNT_QUOTA, errors.CMD_ID_NOT_FOUND, *INVOKE_RAISES)),
    Action("DescribeInvocations", FAMILY, "Lists invocations, oldest first, each with its instances' status.",
           params=(REGION_ID, Param("InvokeId", description="Only this invocation."),
                   Param("CommandId", description="Only invocations of this command."),
                   Param("CommandName", description="Only invocations of commands of this name."),
                   Param("CommandType", description="Only invocations of commands of this type."),
                   Param("InvokeStatus", description="Only invocations in this overall status: "
                                                     f"{', '.join(rules.INVOKE_STATUSES)}."),
                   Param("InstanceId", description="Only invocations on this instance."),
                   Param("RepeatMode", description="Only invocations of this mode."),
                   Param("Timed", type=Type.BOOLEAN,
                         description="true: scheduled ones only (none here); false: every one."),
                   Param("IncludeOutput", type=Type.BOOLEAN, default=False, description="Include each Output."),
                   OUTPUT_ENCODING, RESOURCE_GROUP_FILTER, TAG, PAGE_NUMBER, PAGE_SIZE, NEXT_TOKEN, max_results(50)),
           handler=describe_invocations, raises=(errors.INVALID_PARAMETER,)),
    Action("DescribeInvocationResults", FAMILY, "Each instance's result of invocations: status, exit code, "
                                                "output (the last 24 KiB), Dropped, error.",
           params=(REGION_ID, Param("InvokeId", description="Only this invocation."),
                   Param("InstanceId", description="Only this instance."),
                   Param("CommandId", description="Only invocations of this command."),
                   Param("InvokeRecordStatus", description="Only results in this status: "
                                                           f"{', '.join(rules.RECORD_FILTER)}."),
                   Param("IncludeHistory", type=Type.BOOLEAN, default=False,
                         description="Earlier runs of scheduled invocations (none here)."),
                   OUTPUT_ENCODING, RESOURCE_GROUP_FILTER, TAG, PAGE_NUMBER, PAGE_SIZE, NEXT_TOKEN, max_results(50)),
           handler=describe_invocation_results, raises=(errors.INVALID_PARAMETER,)),
    Action("StopInvocation", FAMILY, "Stops an invocation: Pending parts Cancelled, running ones Terminated.",
           params=(REGION_ID, Param("InvokeId", required=True, description="The invocation, t-…."),
                   Param("InstanceId", kind=Kind.LIST, max_items=rules.INSTANCES_PER_INVOCATION,
                         description="Only on these instances (InstanceId.N); default all.")),
           handler=stop_invocation, raises=(errors.INVOKE_ID_NOT_FOUND,)),
)
