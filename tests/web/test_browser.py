"""The pages in a real browser (Debian's Chromium, driven by Playwright) against a real
emulator: the explorer calls DescribeDisks and shows the answer; its example code runs
against the same server with both Python SDKs and Node's pop-core; the error center lists
and finds every error; the console stops an instance and re-initialises its system disk,
showing Stopping -> Stopped and ReIniting -> In_use as they happen.

ECSEMU_SCREENSHOTS=1 rewrites docs/screenshots/*.png."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ecsemu import errors
from tests.ecsclient import LINUX_IMAGE, REGION, Ecs

playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is needed")
expect = playwright_api.expect

NODE_MODULES = Path(__file__).resolve().parents[1] / "node" / "node_modules"


@pytest.fixture(scope="module")
def ecs(web_server):
    return Ecs(web_server)


@pytest.fixture(scope="module")
def world(ecs):
    """An instance with a key pair, its system disk, a snapshot of it, a data disk made
    from that snapshot and attached, and a custom image of the snapshot."""
    ecs("CreateKeyPair", RegionId=REGION, KeyPairName="web-key")
    instance = ecs.run_instance(KeyPairName="web-key", InstanceName="web-demo")
    ecs.wait(lambda: ecs.instance(instance)["Status"], "Running")
    system_disk = ecs.disks_of(instance)[0]["DiskId"]
    snapshot = ecs("CreateSnapshot", DiskId=system_disk, SnapshotName="before-upgrade")["SnapshotId"]
    ecs.wait(lambda: ecs("DescribeSnapshots", RegionId=REGION,
                         SnapshotIds=[snapshot])["Snapshots"]["Snapshot"][0]["Status"],
             "accomplished")
    data_disk = ecs("CreateDisk", RegionId=REGION, ZoneId=ecs.instance(instance)["ZoneId"], SnapshotId=snapshot,
                    DiskName="restored-data")["DiskId"]
    ecs.wait(lambda: ecs.disk(data_disk)["Status"], "Available")
    ecs("AttachDisk", DiskId=data_disk, InstanceId=instance)
    ecs("CreateImage", RegionId=REGION, SnapshotId=snapshot, ImageName="web-demo-image")
    ecs.wait(lambda: ecs.disk(data_disk)["Status"], "In_use")
    return {"instance": instance, "system_disk": system_disk, "snapshot": snapshot, "data_disk": data_disk}


def open_action(page, name: str) -> None:
    page.fill("#action-search", name.lower())
    page.locator("#action-list a", has_text=name).first.click()
    expect(page.locator(".action-head h1")).to_have_text(name)


def field(page, wire_name: str):
    return page.locator(f'[id="p-{wire_name}"]')


def sample(page, which: str) -> str:
    page.click(f'#code-pane button[data-sample="{which}"]')
    expect(page.locator("#code")).to_have_attribute("data-sample", which)
    return page.locator("#code").text_content()


def run_sample(tmp_path: Path, which: str, code: str, name: str = "sample") -> dict:
    """Runs one example as a user would run the pasted code; its output is the JSON answer."""
    if which == "node":
        node = shutil.which("node")
        if node is None or not (NODE_MODULES / "@alicloud" / "pop-core").is_dir():
            pytest.skip("node and tests/node/node_modules are needed (make test installs them)")
        path, command = tmp_path / f"{name}-{which}.js", [node]
        env = {**os.environ, "NODE_PATH": str(NODE_MODULES)}
    else:
        path, command, env = tmp_path / f"{name}-{which}.py", [sys.executable], dict(os.environ)
    path.write_text(code)
    done = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, f"{which} failed:\n{code}\n{done.stderr}"
    return json.loads(done.stdout)


def test_explorer_calls_describe_disks(page, world, screenshot):
    open_action(page, "DescribeDisks")
    expect(field(page, "RegionId")).to_have_value(REGION)
    field(page, "DiskIds").fill(world["system_disk"])
    expect(page.locator("#verdict")).to_have_text("Parameters check out")
    page.click("#call-button")
    expect(page.locator("#response-status")).to_have_text("HTTP 200 OK")
    body = json.loads(page.locator("#response-body").text_content())
    [disk] = body["Disks"]["Disk"]
    assert disk["DiskId"] == world["system_disk"] and disk["ImageId"] == LINUX_IMAGE
    headers = page.locator("table.kv").inner_text()
    assert "application/json" in headers and "x-acs-request-id" in headers
    page.fill("#action-search", "")  # the whole list beside the form
    page.locator("#action-search").blur()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "explorer")
    page.set_viewport_size({"width": 1280, "height": 1500})
    page.evaluate("document.querySelector('.call-bar').scrollIntoView({block: 'start'}); window.scrollBy(0, -64)")
    screenshot(page, "explorer-call")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.select_option("#format", "XML")
    page.click("#call-button")
    expect(page.locator("#response-body")).to_contain_text("<DescribeDisksResponse>")
    assert world["system_disk"] in page.locator("#response-body").text_content()


def test_the_form_checks_as_the_server_does(page):
    open_action(page, "DescribeDisks")
    field(page, "PageSize").fill("0")
    shown = 'InvalidParameter: The specified parameter "PageSize" is not valid.'
    expect(page.locator('.param[data-param="PageSize"] .perror')).to_have_text(shown)
    expect(page.locator("#verdict")).to_have_text("The emulator would answer 400 InvalidParameter")
    page.click("#call-button")
    expect(page.locator("#verdict")).to_contain_text("Not sent")
    expect(page.locator("#response-status")).to_have_count(0)
    page.check("#skip-checks")
    page.click("#call-button")
    expect(page.locator("#response-status")).to_have_text("HTTP 400 Bad Request")
    body = json.loads(page.locator("#response-body").text_content())
    assert f"{body['Code']}: {body['Message']}" == shown

    open_action(page, "RunInstances")
    page.click("#call-button")  # nothing filled in but the region
    expect(page.locator('.param[data-param="ImageId"] .perror')).to_contain_text("MissingParameter")
    expect(page.locator("#response-status")).to_have_count(0)


def test_calls_are_signed_with_the_key_of_the_page(page):
    open_action(page, "DescribeRegions")
    page.fill("#key-secret", "not-the-secret")
    page.locator("#key-secret").dispatch_event("change")
    page.click("#call-button")
    expect(page.locator("#response-status")).to_have_text("HTTP 400 Bad Request")
    assert json.loads(page.locator("#response-body").text_content())["Code"] == "SignatureDoesNotMatch"
    assert "not-the-secret" in sample(page, "python-core")
    page.click("#key-reset")  # the development key again
    expect(page.locator("#key-secret")).to_have_value("testsecret")
    page.click("#call-button")
    expect(page.locator("#response-status")).to_have_text("HTTP 200 OK")


def test_example_code_runs_against_the_same_server(page, world, ecs, web_server, tmp_path):
    open_action(page, "DescribeDisks")
    field(page, "DiskIds").fill(world["system_disk"])
    for which in ("python-core", "python-tea", "node"):
        code = sample(page, which)
        assert web_server.endpoint in code
        answer = run_sample(tmp_path, which, code)
        disks = answer.get("Disks") or answer.get("disks")
        assert [d["DiskId"] for d in disks["Disk"]] == [world["system_disk"]], which
    cli = sample(page, "cli")
    assert cli.startswith("aliyun ecs DescribeDisks \\\n  --RegionId cn-hangzhou \\\n")
    assert f"""--DiskIds '["{world['system_disk']}"]'""" in cli
    assert f"--endpoint {web_server.endpoint} --insecure" in cli

    # Every kind of parameter: a list (SecurityGroupIds.N), an object (SystemDisk.*) and
    # lists of objects (DataDisk.N.*, Tag.N.*), each sample making one instance.
    open_action(page, "RunInstances")
    field(page, "ImageId").fill(LINUX_IMAGE)
    field(page, "InstanceType").fill("ecs.g7.large")
    field(page, "SecurityGroupIds").fill(ecs.security_group())
    field(page, "VSwitchId").fill(ecs.vswitch())
    field(page, "SystemDisk.Category").fill("cloud_essd")
    page.click("text=+ Add DataDisk.1")
    field(page, "DataDisk.1.Size").fill("20")
    page.click("text=+ Add Tag.1")
    field(page, "Tag.1.Key").fill("made-by")
    field(page, "Tag.1.Value").fill("explorer")
    expect(page.locator("#verdict")).to_have_text("Parameters check out")
    for which in ("python-core", "python-tea", "node"):
        answer = run_sample(tmp_path, which, sample(page, which), "run")
        [instance] = (answer.get("InstanceIdSets") or answer["instance_id_sets"])["InstanceIdSet"]
        disks = {d["Type"]: d for d in ecs.disks_of(instance)}
        assert (disks["system"]["Category"], disks["data"]["Size"]) == ("cloud_essd", 20), which
        assert ecs.instance(instance)["Tags"]["Tag"] == [{"TagKey": "made-by", "TagValue": "explorer"}], which


def test_error_center_lists_and_finds_every_error(page, screenshot):
    page.click('nav.views a[data-view="errors"]')
    rows = page.locator("#error-table tbody tr")
    expect(rows).to_have_count(len(errors.ALL))
    assert page.locator("#error-table").get_attribute("data-shown") == str(len(errors.ALL))
    screenshot(page, "errors")

    page.fill("#error-search", "IncorrectDiskStatus ReInitDisk")
    visible = page.locator("#error-table tbody tr:visible")
    expect(visible.first).to_contain_text("The current disk status does not support this operation.")
    for text in visible.all_inner_texts():
        assert "IncorrectDiskStatus" in text and "ReInitDisk" in text
    page.fill("#error-search", "SignatureDoesNotMatch")
    expect(visible).to_have_count(1)
    expect(visible).to_contain_text("gateway: any action")
    expect(visible).to_contain_text("400")

    page.goto(page.url.split("#")[0] + "#/errors?q=InvalidDiskId.NotFound")
    # each wording the real service has for it, in the catalogue's order
    expect(visible).to_have_count(len([e for e in errors.ALL if e.code == "InvalidDiskId.NotFound"]))
    visible.first.locator("a", has_text="ReInitDisk").click()
    expect(page.locator(".action-head h1")).to_have_text("ReInitDisk")


def test_console_stops_an_instance_and_reinitialises_its_disk(page, world, screenshot):
    instance, system_disk = world["instance"], world["system_disk"]
    page.click('nav.views a[data-view="console"]')
    instance_row = page.locator(f"#res-{instance}")
    expect(instance_row.locator(".status")).to_have_text("Running")
    page.fill("#key-id", "someone-else")  # another account (loose mode): none of these resources
    page.locator("#key-id").dispatch_event("change")
    expect(page.locator("#table-instances")).to_contain_text(f"No instance in {REGION}.")
    page.click("#key-reset")
    expect(instance_row.locator(".status")).to_have_text("Running")
    # The links between them: instance -> disks, key pair; disk -> snapshot; image <- snapshot.
    assert instance_row.locator(f'a[href="#/console/{system_disk}"]').count() == 1
    assert instance_row.locator('a[href="#/console/kp%3Aweb-key"]').count() == 1
    data_row = page.locator(f"#res-{world['data_disk']}")
    expect(data_row).to_contain_text(f"snapshot {world['snapshot']}")
    page.locator(f"#res-{system_disk} a", has_text=world["snapshot"]).click()
    expect(page.locator(f"#res-{world['snapshot']}")).to_have_class("focus")
    expect(page.locator(f"#res-{world['snapshot']}")).to_contain_text(world["data_disk"])
    expect(page.locator("#table-images tbody tr")).to_have_count(1)

    instance_row.locator('button[data-act="stop"]').click()
    expect(instance_row.locator(".status")).to_have_text("Stopping", timeout=5000)
    expect(instance_row.locator(".status")).to_have_text("Stopped", timeout=10000)

    # A data disk made from a snapshot goes back to that snapshot.
    data_row.locator('button[data-act="reinit"]').click()
    expect(page.locator("#reinit-dialog .origin")).to_have_text(
        f"It returns to the snapshot {world['snapshot']} it was created from.")
    page.click("#reinit-dialog button[value=cancel]")
    expect(page.locator("#reinit-dialog")).to_be_hidden()

    disk_row = page.locator(f"#res-{system_disk}")
    disk_row.locator('button[data-act="reinit"]').click()
    dialog = page.locator("#reinit-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".loss")).to_have_text(
        "Everything written to this disk since it was created or last re-initialised will be lost.")
    expect(dialog.locator(".origin")).to_contain_text(f"It returns to the image {LINUX_IMAGE}")
    expect(dialog).to_contain_text(f"Attached to {instance}, which is Stopped.")
    screenshot(page, "console-reinit")
    page.click("#reinit-confirm")
    expect(disk_row.locator(".status")).to_have_text("ReIniting", timeout=5000)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "console", full_page=True)
    expect(disk_row.locator(".status")).to_have_text("In_use", timeout=10000)
    expect(page.locator("#console-message")).to_be_hidden()
    expect(instance_row.locator(".status")).to_have_text("Stopped")


def test_the_product_picker_switches_to_the_vpc_product(page, web_server, tmp_path):
    """The explorer lists one product's actions at a time; a VPC action is called with the
    VPC version, its example code names the VPC SDKs and runs; the error center links it."""
    page.goto(page.url.split("#")[0] + "#/explorer")
    expect(page.locator("#product-picker")).to_have_value("Ecs")
    expect(page.locator("#action-list a", has_text="DescribeVpcs")).to_have_count(0)
    page.select_option("#product-picker", "Vpc")
    expect(page.locator(".action-head .summary")).to_contain_text("VPC API 2016-04-28")
    expect(page.locator("#action-list a", has_text="DescribeDisks")).to_have_count(0)
    open_action(page, "CreateVpc")
    assert page.url.endswith("#/explorer/Vpc/CreateVpc")
    field(page, "CidrBlock").fill("192.168.0.0/16")
    field(page, "VpcName").fill("from-the-page")
    page.click("#call-button")
    expect(page.locator("#response-status")).to_have_text("HTTP 200 OK")
    made = json.loads(page.locator("#response-body").text_content())["VpcId"]

    open_action(page, "DescribeVpcAttribute")
    field(page, "VpcId").fill(made)
    expect(page.locator('#code-pane button[data-sample="python-core"]')).to_have_text("Python · aliyun-python-sdk-vpc")
    core = sample(page, "python-core")
    assert "from aliyunsdkvpc.request.v20160428.DescribeVpcAttributeRequest import" in core
    assert run_sample(tmp_path, "python-core", core, "vpc")["VpcName"] == "from-the-page"
    tea = sample(page, "python-tea")
    assert "from alibabacloud_vpc20160428 import models" in tea
    assert run_sample(tmp_path, "python-tea", tea, "vpc")["CidrBlock"] == "192.168.0.0/16"

    page.click('nav.views a[data-view="errors"]')
    page.fill("#error-search", "QuotaExceeded.Vpc")
    visible = page.locator("#error-table tbody tr:visible")
    expect(visible).to_have_count(1)
    visible.first.locator("a", has_text="CreateVpc").click()
    expect(page.locator(".action-head h1")).to_have_text("CreateVpc")
    expect(page.locator("#product-picker")).to_have_value("Vpc")
