"""Cloud Assistant through the official SDKs: commands (create, describe, modify, delete) on
each store; invocations in state-only mode, where no guest runs (ClientNotRunning); and
invocations run by a real agent (guest/agent.sh under busybox sh on this host, through the
port a test driver names), with their output, exit codes, timeouts and cuts."""

from __future__ import annotations

import base64
import json
import time
from contextlib import contextmanager

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_tea_openapi.exceptions import ClientException
from aliyunsdkecs.request.v20140526.CreateCommandRequest import CreateCommandRequest
from aliyunsdkecs.request.v20140526.DescribeInvocationResultsRequest import DescribeInvocationResultsRequest
from aliyunsdkecs.request.v20140526.RunCommandRequest import RunCommandRequest

from ecsemu.config import Config
from ecsemu.testing import EmulatorServer
from tests.assist.host_agent import HostAgents
from tests.ecsclient import REGION, WINDOWS_IMAGE, Ecs


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def results(ecs: Ecs, invoke_id: str) -> list[dict]:
    body = ecs("DescribeInvocationResults", RegionId=REGION, InvokeId=invoke_id)
    return body["Invocation"]["InvocationResults"]["InvocationResult"]


def finished(ecs: Ecs, invoke_id: str, timeout: float = 20) -> dict:
    """The one instance's result, once it is no longer Running."""
    deadline = time.monotonic() + timeout
    while (found := results(ecs, invoke_id))[0]["InvokeRecordStatus"] == "Running":
        assert time.monotonic() < deadline, found
        time.sleep(0.1)
    return found[0]


# --- commands, on each store -------------------------------------------------------------------

def test_create_describe_modify_delete_a_command(ecs):
    request = CreateCommandRequest()
    request.set_Name("hello")
    request.set_Type("RunShellScript")
    request.set_CommandContent(b64("echo {{greeting}} {{ name }}"))
    request.set_ContentEncoding("Base64")
    request.set_EnableParameter(True)
    request.set_WorkingDir("/tmp")
    request.set_Description("says hello")
    command_id = ecs.send(request)["CommandId"]
    assert command_id.startswith("c-")

    tea = ecs.tea()
    found = tea.describe_commands(ecs_models.DescribeCommandsRequest(region_id=REGION, command_id=command_id))
    command = found.body.commands.command[0]
    assert (command.name, command.type, command.working_dir, command.timeout, command.description) == \
        ("hello", "RunShellScript", "/tmp", 60, "says hello")
    assert base64.b64decode(command.command_content).decode() == "echo {{greeting}} {{ name }}"
    assert command.parameter_names.parameter_name == ["greeting", "name"]
    assert command.enable_parameter is True and command.invoke_times == 0

    tea.modify_command(ecs_models.ModifyCommandRequest(region_id=REGION, command_id=command_id, name="renamed",
                                                       timeout=120, command_content=b64("echo {{other}}")))
    plain = ecs("DescribeCommands", RegionId=REGION, CommandId=command_id, ContentEncoding="PlainText")
    command = plain["Commands"]["Command"][0]
    assert (command["Name"], command["Timeout"], command["CommandContent"]) == ("renamed", 120, "echo {{other}}")
    assert command["ParameterNames"]["ParameterName"] == ["other"]
    assert ecs("DescribeCommands", RegionId=REGION, Name="rena*")["TotalCount"] >= 1

    tea.delete_command(ecs_models.DeleteCommandRequest(region_id=REGION, command_id=command_id))
    assert ecs("DescribeCommands", RegionId=REGION, CommandId=command_id)["Commands"]["Command"] == []
    assert ecs.error("DeleteCommand", RegionId=REGION, CommandId=command_id) == ("InvalidCmdId.NotFound", 404)


@pytest.mark.parametrize(("params", "expected"), [
    ({"Type": "RunPythonScript"}, ("InvalidCmdType.NotFound", 403)),
    ({"Name": "n" * 129}, ("CmdName.ExceedLimit", 403)),
    ({"Description": "d" * 513}, ("CmdDesc.ExceedLimit", 403)),
    ({"CommandContent": "x" * 24580}, ("CmdContent.ExceedLimit", 403)),
    ({"CommandContent": "x" * 18433, "ContentEncoding": "PlainText"}, ("CmdContent.ExceedLimit", 403)),
    ({"CommandContent": "not base64!", "ContentEncoding": "Base64"}, ("InvalidParameter", 400)),
    ({"CommandContent": "echo {{a b}}", "ContentEncoding": "PlainText", "EnableParameter": True},
     ("CmdParam.InvalidParamName", 403)),
    ({"CommandContent": b64("echo {{" + "a" * 65 + "}}"), "EnableParameter": True}, ("CmdParamName.ExceedLimit", 403)),
    ({"Timeout": 0}, ("InvalidParameter", 400)),
    ({"Type": None}, ("MissingParameter", 400)),
])
def test_create_command_refuses_what_the_real_one_refuses(ecs, params, expected):
    before = ecs("DescribeCommands", RegionId=REGION)["TotalCount"]
    base = {"RegionId": REGION, "Name": "bad", "Type": "RunShellScript", "CommandContent": b64("echo")}
    assert ecs.error("CreateCommand", **{**base, **params}) == expected
    assert ecs("DescribeCommands", RegionId=REGION)["TotalCount"] == before


# --- state-only: no guest, no agent ----------------------------------------------------------------

def test_state_only_instances_have_no_running_client(ecs):
    instance_id = ecs.run_instance()
    tea = ecs.tea()
    answer = tea.run_command(ecs_models.RunCommandRequest(
        region_id=REGION, type="RunShellScript", command_content="echo hi", instance_id=[instance_id]))
    result = results(ecs, answer.body.invoke_id)[0]
    assert (result["InvocationStatus"], result["InvokeRecordStatus"], result["ErrorCode"], result["ErrorInfo"]) == \
        ("Aborted", "Failed", "ClientNotRunning", "the aliyun service is not running on the instance")
    listed = ecs("DescribeInvocations", RegionId=REGION, InvokeId=answer.body.invoke_id)
    invocation = listed["Invocations"]["Invocation"][0]
    assert (invocation["InvocationStatus"], invocation["InvokeStatus"]) == ("Failed", "Failed")

    status = tea.describe_cloud_assistant_status(ecs_models.DescribeCloudAssistantStatusRequest(
        region_id=REGION, instance_id=[instance_id]))
    entry = status.body.instance_cloud_assistant_status_set.instance_cloud_assistant_status[0]
    assert (entry.cloud_assistant_status, entry.invocation_count, entry.active_task_count, entry.ostype) == \
        ("false", 1, 0, "Linux")

    ecs("StopInstance", InstanceId=instance_id)
    stopped = ecs("RunCommand", RegionId=REGION, Type="RunShellScript", CommandContent="echo",
                  **{"InstanceId.1": instance_id})
    assert results(ecs, stopped["InvokeId"])[0]["ErrorCode"] == "InstanceNotRunning"


def test_invoke_errors(ecs):
    linux = ecs.run_instance()
    windows = ecs.run_instance(ImageId=WINDOWS_IMAGE)
    command_id = ecs("CreateCommand", RegionId=REGION, Name="c", Type="RunShellScript",
                     CommandContent=b64("echo {{x}}"), EnableParameter=True)["CommandId"]
    plain = ecs("CreateCommand", RegionId=REGION, Name="p", Type="RunShellScript", CommandContent="echo {{x}}",
                ContentEncoding="plaintext")["CommandId"]
    invoke = {"RegionId": REGION, "CommandId": command_id, "InstanceId.1": linux}
    assert ecs.error("InvokeCommand", **{**invoke, "InstanceId.1": windows}) == ("InvalidInstance.NotMatch", 400)
    assert ecs.error("InvokeCommand", **{**invoke, "InstanceId.1": "i-nothere"}) == ("InvalidInstance.NotFound", 404)
    assert ecs.error("InvokeCommand", **{**invoke, "CommandId": "c-nothere"}) == ("InvalidCmdId.NotFound", 404)
    assert ecs.error("InvokeCommand", RegionId=REGION, CommandId=command_id) == ("MissingParam.InstanceId", 400)
    assert ecs.error("InvokeCommand", **invoke, Parameters='{"y": "1"}') == ("Parameter.NotMatched", 403)
    assert ecs.error("InvokeCommand", **invoke, Parameters="[1]") == ("InvalidParameter.Parameters", 400)
    assert ecs.error("InvokeCommand", **{**invoke, "CommandId": plain}, Parameters='{"x": "1"}') == \
        ("Parameter.Disabled", 400)
    assert ecs.error("InvokeCommand", **invoke, RepeatMode="Sometimes") == ("InvalidRepeatMode.NotFound", 404)
    assert ecs.error("InvokeCommand", **invoke, RepeatMode="Period") == ("UnsupportedParameter", 400)
    assert ecs.error("RunCommand", RegionId=REGION, Type="RunBatScript", CommandContent="echo",
                     **{"InstanceId.1": linux}) == ("InvalidInstance.NotMatch", 400)
    assert ecs.error("StopInvocation", RegionId=REGION, InvokeId="t-nothere") == ("InvalidInvokeId.NotFound", 404)
    assert ecs.error("DescribeInvocations", RegionId=REGION, InvokeStatus="Done") == ("InvalidParameter", 400)
    assert ecs.error("DescribeInvocations", RegionId=REGION, PageSize=51) == ("InvalidParam.PageSize", 403)
    # None of them left an invocation behind.
    assert ecs("DescribeInvocations", RegionId=REGION, InstanceId=linux)["TotalCount"] == 0


# --- with a guest agent ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def guests():
    driver = HostAgents()
    yield driver
    driver.close()


@pytest.fixture(scope="module")
def assisted(store, guests):
    """An emulator (on each store) whose instances the test boots have a guest agent."""
    with EmulatorServer(Config(transitions="instant", **store())) as server:
        server.emulator.instances = guests
        yield Ecs(server)


@pytest.fixture(scope="module")
def booted(assisted, guests):
    instance_id = assisted.run_instance()
    guests.boot(instance_id)
    return instance_id


def test_run_command_gives_output_and_exit_code(assisted, booted):
    request = RunCommandRequest()
    request.set_Type("RunShellScript")
    request.set_CommandContent("sleep 1; echo hi; exit 3")
    request.set_InstanceIds([booted])
    invoke_id = assisted.send(request)["InvokeId"]
    listed = assisted("DescribeInvocations", RegionId=REGION, InvokeId=invoke_id)["Invocations"]["Invocation"][0]
    assert listed["InvokeStatus"] == "Running" and listed["InvocationStatus"] in ("Pending", "Running")

    result = finished(assisted, invoke_id)
    assert base64.b64decode(result["Output"]) == b"hi\n"
    assert (result["ExitCode"], result["InvocationStatus"], result["InvokeRecordStatus"], result["ErrorCode"],
            result["Dropped"]) == (3, "Failed", "Finished", "ExitCodeNonzero", 0)
    assert result["StartTime"] and result["FinishedTime"] and result["Username"] == "root"

    old = DescribeInvocationResultsRequest()
    old.set_InvokeId(invoke_id)
    old.set_ContentEncoding("PlainText")
    assert assisted.send(old)["Invocation"]["InvocationResults"]["InvocationResult"][0]["Output"] == "hi\n"
    invocation = assisted("DescribeInvocations", RegionId=REGION, InvokeId=invoke_id,
                          IncludeOutput=True)["Invocations"]["Invocation"][0]
    instance = invocation["InvokeInstances"]["InvokeInstance"][0]
    assert (invocation["InvokeStatus"], invocation["InvocationStatus"]) == ("Finished", "Failed")
    assert (instance["ExitCode"], base64.b64decode(instance["Output"])) == (3, b"hi\n")


def test_invoke_command_with_parameters_as_the_tea_sdk_sends_them(assisted, booted):
    tea = assisted.tea()
    command_id = tea.create_command(ecs_models.CreateCommandRequest(
        region_id=REGION, name="greet", type="RunShellScript", enable_parameter=True, working_dir="/usr",
        command_content=b64("echo {{greeting}} from {{ACS::InstanceId}} in $(pwd)"))).body.command_id
    invoke_id = tea.invoke_command(ecs_models.InvokeCommandRequest(
        region_id=REGION, command_id=command_id, instance_id=[booted],
        parameters={"greeting": "hello"})).body.invoke_id
    result = finished(assisted, invoke_id)
    assert base64.b64decode(result["Output"]).decode() == f"hello from {booted} in /usr\n"
    assert (result["ExitCode"], result["InvocationStatus"], result["ErrorCode"]) == (0, "Success", "")
    invocation = assisted("DescribeInvocations", RegionId=REGION, InvokeId=invoke_id)["Invocations"]["Invocation"][0]
    assert json.loads(invocation["Parameters"]) == {"greeting": "hello"}
    assert assisted("DescribeCommands", RegionId=REGION, CommandId=command_id)["Commands"]["Command"][0][
        "InvokeTimes"] == 1


def test_a_timeout_ends_as_execution_timeout(assisted, booted):
    invoke_id = assisted("RunCommand", RegionId=REGION, Type="RunShellScript", Timeout=1,
                         CommandContent="echo started; sleep 30", **{"InstanceId.1": booted})["InvokeId"]
    result = finished(assisted, invoke_id)
    assert (result["InvocationStatus"], result["InvokeRecordStatus"], result["ErrorCode"], result["ExitCode"]) == \
        ("Timeout", "Failed", "ExecutionTimeout", 1)
    assert base64.b64decode(result["Output"]) == b"started\n"


def test_a_missing_working_directory_is_invalid(assisted, booted):
    invoke_id = assisted("RunCommand", RegionId=REGION, Type="RunShellScript", CommandContent="pwd",
                         WorkingDir="/no/such/dir", **{"InstanceId.1": booted})["InvokeId"]
    result = finished(assisted, invoke_id)
    assert (result["InvocationStatus"], result["InvokeRecordStatus"], result["ErrorCode"], result["ErrorInfo"]) == \
        ("Invalid", "Failed", "DirectoryNotExists", "the specified directory does not exists")
    assert "ExitCode" not in result


def test_output_past_24_kib_is_dropped(assisted, booted):
    invoke_id = assisted("RunCommand", RegionId=REGION, Type="RunShellScript",
                         CommandContent="head -c 30000 /dev/zero | tr '\\0' a; echo", **{"InstanceId.1": booted})[
        "InvokeId"]
    result = finished(assisted, invoke_id)
    assert result["Dropped"] == 30001 - 24576
    assert base64.b64decode(result["Output"]) == b"a" * 24575 + b"\n"


def test_stop_invocation_terminates_a_running_command(assisted, booted):
    invoke_id = assisted("RunCommand", RegionId=REGION, Type="RunShellScript", CommandContent="echo on; sleep 30",
                         **{"InstanceId.1": booted})["InvokeId"]
    assisted.wait(lambda: results(assisted, invoke_id)[0]["InvocationStatus"], "Running")
    assisted("StopInvocation", RegionId=REGION, InvokeId=invoke_id)
    result = finished(assisted, invoke_id)
    assert (result["InvocationStatus"], result["InvokeRecordStatus"]) == ("Terminated", "Stopped")
    assert result["StopTime"]
    assisted.wait(lambda: base64.b64decode(results(assisted, invoke_id)[0]["Output"]), b"on\n")


def test_cloud_assistant_status_follows_the_agent(assisted, booted):
    other = assisted.run_instance()
    body = assisted("DescribeCloudAssistantStatus", RegionId=REGION, **{"InstanceId.1": booted, "InstanceId.2": other})
    statuses = {entry["InstanceId"]: entry for entry in
                body["InstanceCloudAssistantStatusSet"]["InstanceCloudAssistantStatus"]}
    assert statuses[booted]["CloudAssistantStatus"] == "true" and statuses[booted]["CloudAssistantVersion"] == "1.0"
    assert statuses[booted]["LastHeartbeatTime"] and statuses[booted]["InvocationCount"] >= 1
    assert statuses[other]["CloudAssistantStatus"] == "false"


def run_in_a_guest(server, guests, script: str) -> tuple[Ecs, str]:
    """A new instance on ``server`` whose guest (a host-run agent) runs ``script``, seen
    Running: (the server's client, the InvokeId)."""
    server.emulator.instances = guests
    ecs = Ecs(server)
    instance_id = ecs.run_instance()
    guests.boot(instance_id)
    invoke_id = ecs("RunCommand", RegionId=REGION, Type="RunShellScript", CommandContent=script,
                    **{"InstanceId.1": instance_id})["InvokeId"]
    ecs.wait(lambda: results(ecs, invoke_id)[0]["InvocationStatus"], "Running")
    return ecs, invoke_id


@contextmanager
def a_command_running(data_dir, guests):
    """A server over ``data_dir`` whose guest runs a long command: (its client, the InvokeId)."""
    with EmulatorServer(Config(transitions="instant", data_dir=data_dir)) as server:
        yield run_in_a_guest(server, guests, "sleep 10")


def test_a_restart_ends_what_ran_as_interrupted(tmp_path, guests):
    data_dir = tmp_path / "data"
    with a_command_running(data_dir, guests) as (_, invoke_id):
        pass
    with EmulatorServer(Config(transitions="instant", data_dir=data_dir)) as server:
        result = results(Ecs(server), invoke_id)[0]
    assert (result["InvocationStatus"], result["InvokeRecordStatus"], result["ErrorCode"], result["ErrorInfo"]) == \
        ("Error", "Failed", "ExecutionInterrupted", "the command execution has been interrupted")


def test_tea_sdk_surfaces_the_errors(assisted):
    tea = assisted.tea()
    with pytest.raises(ClientException) as raised:
        tea.stop_invocation(ecs_models.StopInvocationRequest(region_id=REGION, invoke_id="t-nothere"))
    assert raised.value.code == "InvalidInvokeId.NotFound"


def test_a_start_after_a_crash_ends_what_was_left_running(tmp_path, guests):
    """A process killed mid-command writes nothing more: the next start over the same data
    ends what it left Pending or Running (reconcile)."""
    from ecsemu.emulator import Emulator

    data_dir = tmp_path / "data"
    with a_command_running(data_dir, guests) as (ecs, invoke_id):
        Emulator(Config(transitions="instant", data_dir=data_dir)).close()   # as the next start would
        result = results(ecs, invoke_id)[0]
        assert (result["InvocationStatus"], result["ErrorCode"]) == ("Error", "ExecutionInterrupted")


def test_a_stop_answered_by_another_process_reaches_the_agent(tmp_path, guests):
    """Two servers on one database (as serve --workers runs): the one running the command
    sees the stop the other recorded, and kills it."""
    config = Config(transitions="instant", data_dir=tmp_path / "data")
    with EmulatorServer(config) as running, EmulatorServer(config) as other:
        ecs, invoke_id = run_in_a_guest(running, guests, "echo on; sleep 30")
        Ecs(other)("StopInvocation", RegionId=REGION, InvokeId=invoke_id)
        ecs.wait(lambda: base64.b64decode(results(ecs, invoke_id)[0]["Output"]), b"on\n", timeout=5)
        assert results(ecs, invoke_id)[0]["InvocationStatus"] == "Terminated"
