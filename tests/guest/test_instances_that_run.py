"""The whole story of instances that run, through the official SDKs, with the real metadata
service and the real Cloud Assistant: an instance boots the public image, a command writes a
file in it, the instance is stopped, its system disk re-initialised with a new key pair,
started again (in hardened mode: the metadata only with a token); then a command and the
console show that the file is gone and that the guest holds the new key."""

from __future__ import annotations

import base64
import hashlib
import time

from aliyunsdkecs.request.v20140526.RunCommandRequest import RunCommandRequest

from ecsemu.config import Config
from ecsemu.guest.image import BOOTABLE_IMAGE_ID
from ecsemu.testing import EmulatorServer
from tests.ecsclient import REGION, Ecs

FIRST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHc1Ljs0/mQ3BbfI16b1bL0n2yY2kR3HzWq4A8M9Z8cE first@example"
NEW_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAVzvrpiDTn3vj8A17liqvpNsJ5tXsSX5cZkfgC/u4nb new@example"
BOOT_SECONDS = 90.0


def fingerprint(key: str) -> str:
    return "SHA256:" + base64.b64encode(hashlib.sha256(base64.b64decode(key.split()[1])).digest()).decode().rstrip("=")


def run(ecs: Ecs, instance_id: str, script: str) -> tuple[int, str]:
    """RunCommand with the old SDK's request class; (exit code, output) once it has finished."""
    request = RunCommandRequest()
    request.set_Type("RunShellScript")
    request.set_CommandContent(script)
    request.set_InstanceIds([instance_id])
    invoke_id = ecs.send(request)["InvokeId"]
    deadline = time.monotonic() + 60
    while True:
        result = ecs("DescribeInvocationResults", RegionId=REGION, InvokeId=invoke_id)[
            "Invocation"]["InvocationResults"]["InvocationResult"][0]
        if result["InvokeRecordStatus"] not in ("Pending", "Running"):
            return result["ExitCode"], base64.b64decode(result["Output"]).decode()
        assert time.monotonic() < deadline, result
        time.sleep(0.2)


def test_a_file_written_in_the_guest_is_gone_after_reinit_disk_and_the_guest_holds_the_new_key(tmp_path):
    config = Config(data_dir=tmp_path, instances="qemu", transitions="instant", storage="qcow2")
    with EmulatorServer(config) as server:
        ecs = Ecs(server)
        ecs("ImportKeyPair", RegionId=REGION, KeyPairName="first", PublicKeyBody=FIRST_KEY)
        ecs("ImportKeyPair", RegionId=REGION, KeyPairName="second", PublicKeyBody=NEW_KEY)
        instance_id = ecs.run_instance(ImageId=BOOTABLE_IMAGE_ID, KeyPairName="first", HostName="story")
        status = lambda: ecs.instance(instance_id)["Status"]  # noqa: E731
        ecs.wait(status, "Running", timeout=BOOT_SECONDS)
        ecs.wait(lambda: ecs("DescribeCloudAssistantStatus", RegionId=REGION, InstanceId=[instance_id])[
            "InstanceCloudAssistantStatusSet"]["InstanceCloudAssistantStatus"][0]["CloudAssistantStatus"], "true",
            timeout=30)

        assert run(ecs, instance_id, "echo kept > /root/marker && cat /root/.ssh/authorized_keys") \
            == (0, FIRST_KEY + "\n")
        assert f"ecsemu-guest: up story {instance_id} key {fingerprint(FIRST_KEY)}" in console(ecs, instance_id)

        ecs("StopInstance", InstanceId=instance_id)
        ecs.wait(status, "Stopped", timeout=60)
        system_disk = next(d for d in ecs.disks_of(instance_id) if d["Type"] == "system")
        ecs("ReInitDisk", DiskId=system_disk["DiskId"], KeyPairName="second")
        ecs.wait(lambda: ecs.disk(system_disk["DiskId"])["Status"], "In_use")
        # Hardened mode from now on: the guest's init reads the metadata with a token.
        ecs("ModifyInstanceMetadataOptions", RegionId=REGION, InstanceId=instance_id, HttpTokens="required")
        ecs("StartInstance", InstanceId=instance_id)
        ecs.wait(status, "Running", timeout=BOOT_SECONDS)
        ecs.wait(lambda: ecs("DescribeCloudAssistantStatus", RegionId=REGION, InstanceId=[instance_id])[
            "InstanceCloudAssistantStatusSet"]["InstanceCloudAssistantStatus"][0]["CloudAssistantStatus"], "true",
            timeout=30)

        code, output = run(ecs, instance_id, "test -e /root/marker && echo present || echo gone; "
                                             "cat /root/.ssh/authorized_keys")
        assert (code, output) == (0, "gone\n" + NEW_KEY + "\n")
        assert f"ecsemu-guest: up story {instance_id} key {fingerprint(NEW_KEY)}" in console(ecs, instance_id)


def console(ecs: Ecs, instance_id: str) -> str:
    body = ecs("GetInstanceConsoleOutput", RegionId=REGION, InstanceId=instance_id)
    return base64.b64decode(body["ConsoleOutput"]).decode()
