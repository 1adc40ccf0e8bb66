"""Cloud Assistant's rules, pure: command types and the OS each runs on, limits, custom
parameters ({{name}}), and an invocation's statuses on each instance and overall."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# Type -> the os_type of the instances it runs on.
COMMAND_TYPES = {"RunShellScript": "linux", "RunBatScript": "windows", "RunPowerShellScript": "windows"}
DEFAULT_TIMEOUT = 60                 # seconds
MAX_TIMEOUT = 86400
NAME_MAX = 128
DESCRIPTION_MAX = 512
WORKING_DIR_MAX = 200
USERNAME_MAX = 255
CONTENT_MAX = 24 * 1024              # base64 bytes of a command's content
COMMANDS_PER_REGION = 500
INSTANCES_PER_INVOCATION = 100
PARAMETER_NAMES_MAX = 20             # {{name}}s a command may hold
PARAMETERS_MAX = 10                  # values one invocation may pass
PARAMETER_NAME_MAX = 64
OUTPUT_KEPT = 24 * 1024              # bytes of output kept; the agent cuts the rest, from the start
DEFAULT_WORKING_DIR = "/root"
DEFAULT_USERNAME = "root"

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_NAME = re.compile(r"[A-Za-z0-9_-]+")
BUILT_IN = ("ACS::RegionId", "ACS::AccountId", "ACS::InstanceId", "ACS::InstanceName", "ACS::InvokeId",
            "ACS::CommandId")


class BadParameterName(ValueError):
    """A {{name}} of a command that no parameter may have."""


def runs_on(command_type: str, os_type: str) -> bool:
    return COMMAND_TYPES[command_type] == os_type


def parameter_names(content: str) -> list[str]:
    """The custom parameters a command's content names, each once, in order; built-in ones
    (``ACS::…``) are not among them. Raises BadParameterName (its ``args[0]``: "name" or
    "length")."""
    names: dict[str, None] = {}
    for raw in _PLACEHOLDER.findall(content):
        if raw in BUILT_IN:
            continue
        if not _NAME.fullmatch(raw):
            raise BadParameterName("name")
        if len(raw.encode()) > PARAMETER_NAME_MAX:
            raise BadParameterName("length")
        names.setdefault(raw)
    return list(names)


def substituted(content: str, values: Mapping[str, str], built_in: Mapping[str, str]) -> str:
    """The content with each {{name}} replaced: custom ones from ``values`` (names are not
    case-sensitive; a name not given becomes ""), built-in ones from ``built_in``."""
    lowered = {name.lower(): value for name, value in values.items()}

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name in BUILT_IN:
            return built_in.get(name, match.group(0))
        return lowered.get(name.lower(), "") if _NAME.fullmatch(name) else match.group(0)

    return _PLACEHOLDER.sub(value, content)


# --- statuses ------------------------------------------------------------------------------
# One instance's InvocationStatus. Pending and Running are the live ones; the others final.
PENDING, RUNNING = "Pending", "Running"
SUCCESS, FAILED, TIMEOUT, ABORTED, ERROR, INVALID = "Success", "Failed", "Timeout", "Aborted", "Error", "Invalid"
CANCELLED, TERMINATED = "Cancelled", "Terminated"
LIVE = (PENDING, RUNNING)
_FAILURES = (FAILED, TIMEOUT, ABORTED, ERROR, INVALID)
_STOPS = (CANCELLED, TERMINATED, "Stopped")
STATUSES = (PENDING, RUNNING, SUCCESS, FAILED, TIMEOUT, ABORTED, ERROR, INVALID, CANCELLED, TERMINATED)

# ErrorCode -> ErrorInfo, as DescribeInvocationResults words them.
ERROR_INFO = {
    "InstanceNotRunning": "the instance is not running when create task",
    "ClientNotRunning": "the aliyun service is not running on the instance",
    "ClientNotResponse": "the aliyun service in the instance does not response",
    "AccountNotExists": "the specified account does not exists",
    "DirectoryNotExists": "the specified directory does not exists",
    "ExecutionTimeout": "the command execution has been timeout",
    "ExecutionException": "the command execution got an exception",
    "ExecutionInterrupted": "the command execution has been interrupted",
    "ExitCodeNonzero": "the command execution exit code is not zero",
}

# What the agent said (guest/agent.sh's outcomes) -> InvocationStatus and ErrorCode.
_OUTCOMES = {
    "timeout": (TIMEOUT, "ExecutionTimeout"),
    "killed": (TERMINATED, ""),
    "nodir": (INVALID, "DirectoryNotExists"),   # the command never started
    "nouser": (INVALID, "AccountNotExists"),
    "error": (ERROR, "ExecutionException"),
}


def ended(outcome: str, exit_code: int) -> tuple[str, str]:
    """(InvocationStatus, ErrorCode) of a command the agent says has ended."""
    if outcome == "exited":
        return (SUCCESS, "") if exit_code == 0 else (FAILED, "ExitCodeNonzero")
    return _OUTCOMES.get(outcome, (ERROR, "ExecutionException"))


def record_status(status: str) -> str:
    """InvokeRecordStatus (and InstanceInvokeStatus) of one instance's status: Running,
    Finished, Failed or Stopped. A command that exited, with any code, Finished."""
    if status in LIVE:
        return "Running"
    if status in (SUCCESS, FAILED):
        return "Finished"
    if status in _STOPS:
        return "Stopped"
    return "Failed"


def invocation_status(statuses: Iterable[str]) -> str:
    """An invocation's InvocationStatus from its instances' statuses."""
    seen = set(statuses)
    for live in (PENDING, RUNNING):
        if live in seen:
            return live
    if seen <= set(_STOPS):
        return "Stopped"
    if SUCCESS in seen:
        return SUCCESS if seen <= {SUCCESS, *_STOPS} else "PartialFailed"
    return FAILED


def invoke_status(statuses: Iterable[str]) -> str:
    """An invocation's InvokeStatus (the older overall status): Running, Finished, Failed,
    PartialFailed or Stopped."""
    records = {record_status(status) for status in statuses}
    if "Running" in records:
        return "Running"
    if records <= {"Stopped"}:
        return "Stopped"
    if "Failed" in records:
        return "Failed" if records <= {"Failed", "Stopped"} else "PartialFailed"
    return "Finished"


# DescribeInvocations' InvokeStatus filter and DescribeInvocationResults' InvokeRecordStatus
# filter: which instance statuses each value stands for.
RECORD_FILTER = {record: tuple(s for s in STATUSES if record_status(s) == record)
                 for record in ("Running", "Finished", "Failed", "Stopped")}
INVOKE_STATUSES = ("Running", "Finished", "Failed", "PartialFailed", "Stopped")
