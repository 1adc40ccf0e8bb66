"""The server side of the pages: the API description is the declarations, whole; the page
and its files are served under the right paths, small, and with nothing from elsewhere."""

from __future__ import annotations

import gzip
import re

import httpx
import orjson
import pytest

from ecsemu import errors
from ecsemu.actions import all_products
from ecsemu.domain.status import MACHINES
from ecsemu.web import STATIC
from ecsemu.web.description import TRANSITIONAL, action_key, describe, gateway_errors
from tests.rawhttp import v1_params


def all_actions():
    """Every product's actions by their key in the description (VPC's as Vpc/Name)."""
    products = all_products()
    return {action_key(p, a, products[0]): a for p in products for a in p.actions.values()}


@pytest.fixture(scope="module")
def api():
    return describe(all_products())


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url) as running:
        yield running


def test_every_action_once_grouped_by_family(api):
    actions = all_actions()
    assert set(api["actions"]) == set(actions)
    listed = [name for family in api["families"] for name in family["actions"]]
    assert sorted(listed) == sorted(actions)
    for family in api["families"]:
        assert {actions[name].family for name in family["actions"]} == {family["name"]}
        assert {api["actions"][name]["product"] for name in family["actions"]} == {family["product"]}


def test_each_product_with_its_version_and_actions(api):
    assert [(p["code"], p["version"], p["host"]) for p in api["products"]] == \
        [("Ecs", "2014-05-26", "ecs"), ("Vpc", "2016-04-28", "vpc")]
    assert api["actions"]["Vpc/DescribeRegions"]["name"] == "DescribeRegions"
    assert api["actions"]["Vpc/DescribeRegions"]["version"] == "2016-04-28"
    assert api["actions"]["DescribeRegions"]["product"] == "Ecs"
    vpc_quota = next(e for e in api["errors"] if e["code"] == "QuotaExceeded.Vpc")
    assert vpc_quota["actions"] == ["Vpc/CreateVpc"]


def test_parameters_are_the_declarations(api):
    for name, action in all_actions().items():
        described = api["actions"][name]
        assert described["summary"] == action.summary
        assert [p["name"] for p in described["params"]] == [p.name for p in action.params]
        for param, shown in zip(action.params, described["params"], strict=True):
            assert shown["wire"] == param.wire_names()
            assert shown["type"] == param.type.value
            assert shown.get("required", False) == param.required
            assert shown.get("default") == param.default
            assert shown.get("enum") == (list(param.enum) if param.enum else None)
            assert (shown.get("min"), shown.get("max")) == (param.minimum, param.maximum)
            assert shown.get("maxItems") == param.max_items
            assert [f["name"] for f in shown.get("fields", [])] == [f.name for f in param.fields]
            assert api["errors"][shown["invalid"]]["code"] == (param.invalid or errors.INVALID_PARAMETER).code


def test_wire_names_of_nested_parameters(api):
    def wire(action, param):
        return next(p["wire"] for p in api["actions"][action]["params"] if p["name"] == param)

    assert "DataDisk.N.Size" in wire("RunInstances", "DataDisk")
    assert "SystemDisk.Category" in wire("RunInstances", "SystemDisk")
    assert wire("DescribeInstanceStatus", "InstanceId") == ["InstanceId.N"]
    assert wire("DescribeDisks", "DiskIds") == ["DiskIds"]


def test_every_error_with_the_actions_that_answer_it(api):
    described = {(e["code"], e["status"], e["message"]): e for e in api["errors"]}
    assert len(api["errors"]) == len(errors.ALL)
    assert set(described) == {(e.code, e.status, e.message) for e in errors.ALL}
    for name, action in all_actions().items():
        listed = [api["errors"][i] for i in api["actions"][name]["errors"]]
        assert [(e["code"], e["status"], e["message"]) for e in listed] == \
            [(c.code, c.status, c.message) for c in action.error_codes()]
        for code in action.error_codes():
            assert name in described[(code.code, code.status, code.message)]["actions"]
    reinit_status = described[("IncorrectDiskStatus", 403, errors.INCORRECT_DISK_STATUS.message)]
    assert "ReInitDisk" in reinit_status["actions"] and not reinit_status["gateway"]


def test_the_gateways_errors_are_found_in_its_code():
    found = gateway_errors()
    for code in (errors.SIGNATURE_DOES_NOT_MATCH, errors.SIGNATURE_NONCE_USED, errors.TIMESTAMP_EXPIRED,
                 errors.INVALID_ACTION_NOT_FOUND, errors.INVALID_VERSION, errors.INTERNAL_ERROR,
                 errors.ACCESS_KEY_NOT_FOUND, errors.UNSUPPORTED_HTTP_METHOD):
        assert code in found
    assert errors.DISK_NOT_FOUND not in found and errors.INCORRECT_INSTANCE_STATUS not in found


def test_transitional_statuses_are_statuses_of_their_machines(api):
    assert set(TRANSITIONAL) == set(MACHINES)
    for resource, statuses in TRANSITIONAL.items():
        assert set(statuses) < set(MACHINES[resource].statuses)
        assert api["statuses"][resource]["transitional"] == list(statuses)


def test_a_bare_get_is_the_page_and_a_call_is_still_a_call(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert '<script type="module" src="/_ecsemu/web/app.mjs">' in page.text
    answer = client.get("/", params=v1_params("DescribeRegions"))
    assert answer.status_code == 200 and "Regions" in answer.json()
    header_call = client.get("/", headers={"x-acs-action": "DescribeRegions"})
    assert header_call.headers["content-type"] != page.headers["content-type"]


def test_files_are_served_with_types_gzip_and_revalidation(client):
    for name, media_type in (("app.mjs", "text/javascript"), ("style.css", "text/css"),
                             ("api.json", "application/json"), ("signer.mjs", "text/javascript")):
        response = client.get(f"/_ecsemu/web/{name}")
        assert response.status_code == 200 and response.headers["content-type"].startswith(media_type)
        assert response.headers["content-encoding"] == "gzip"  # the client asks for it; httpx unzips
        again = client.get(f"/_ecsemu/web/{name}", headers={"if-none-match": response.headers["etag"]})
        assert again.status_code == 304
    plain = client.get("/_ecsemu/web/api.json", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.json()["version"] == "2014-05-26"
    assert client.get("/_ecsemu/web/nothing.js").status_code == 404
    assert client.get("/_ecsemu/web/../control.py").status_code == 404


def test_pages_are_small(api):
    """Everything the page loads, as sent (gzip): the code within a fixed budget, the API's
    description within a budget per action (it grows with each action declared)."""
    sizes = {path.name: len(gzip.compress(path.read_bytes())) for path in STATIC.iterdir()}
    assert sum(sizes.values()) < 32_000, sizes  # 30,000 until the fault rules and traffic chart
    described = len(gzip.compress(orjson.dumps(api)))
    assert described < 450 * len(api["actions"]), (described, len(api["actions"]))


def test_nothing_is_fetched_from_elsewhere():
    for path in STATIC.iterdir():
        text = path.read_text()
        assert not re.search(r"""(src|href)\s*=\s*["'](https?:)?//""", text), path.name
        assert not re.search(r"""\b(import|fetch)\s*\(?\s*["'`](https?:)?//""", text), path.name
        assert "@import" not in text and "url(" not in text, path.name
