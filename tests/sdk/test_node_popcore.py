"""Node's @alicloud/pop-core, unmodified (tests/node), against the emulator: GET with
everything in the query, POST with everything in a form body.

pop-core judges a response only by the body's Code, so these tests show that every error
carries one and every success does not.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ecsemu.testing import DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET

NODE_DIR = Path(__file__).parent.parent / "node"
METHODS = ["GET", "POST"]


def popcore(server, action, params=None, method="GET", secret=DEVELOPMENT_KEY_SECRET) -> dict:
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "@alicloud" / "pop-core").is_dir():
        pytest.skip("node and tests/node/node_modules are needed (make test installs them)")
    call = {"endpoint": f"http://{server.endpoint}", "accessKeyId": DEVELOPMENT_KEY_ID,
            "accessKeySecret": secret, "action": action, "params": params or {}, "method": method}
    done = subprocess.run([node, str(NODE_DIR / "popcore_call.js"), json.dumps(call)],
                          capture_output=True, text=True, timeout=30, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("method", METHODS)
def test_describe_regions(server, method):
    outcome = popcore(server, "DescribeRegions", {"AcceptLanguage": "en-US"}, method)
    assert outcome["ok"], outcome
    assert outcome["result"]["Regions"]["Region"][0]["LocalName"] == "China (Hangzhou)"


@pytest.mark.parametrize("method", METHODS)
def test_describe_zones(server, method):
    outcome = popcore(server, "DescribeZones", {"RegionId": "cn-beijing", "Verbose": False}, method)
    assert outcome["ok"], outcome
    assert outcome["result"]["Zones"]["Zone"][0]["ZoneId"] == "cn-beijing-a"


@pytest.mark.parametrize("method", METHODS)
def test_wrong_secret(server, method):
    outcome = popcore(server, "DescribeRegions", method=method, secret="wrong")
    assert not outcome["ok"]
    assert (outcome["name"], outcome["code"]) == ("SignatureDoesNotMatchError", "SignatureDoesNotMatch")


@pytest.mark.parametrize("method", METHODS)
def test_unknown_action(server, method):
    outcome = popcore(server, "DescribeUnicorns", method=method)
    assert not outcome["ok"]
    assert (outcome["name"], outcome["code"]) == ("InvalidAction.NotFoundError", "InvalidAction.NotFound")
    assert outcome["data"]["RequestId"]
