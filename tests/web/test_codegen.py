"""Example code (static/codegen.mjs) for every action with every parameter given: each
Python sample names only classes, setters, model fields and methods that the installed SDKs
have; the Node samples parse; the CLI lines carry every wire name. (tests/web/test_browser.py
runs samples against a server.)"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import shutil
import subprocess

import pytest
from alibabacloud_ecs20140526 import models as tea_models
from alibabacloud_ecs20140526.client import Client as TeaClient

from ecsemu.actions import all_actions, all_products
from ecsemu.actions.params import Kind
from ecsemu.web.description import describe

OPTIONS = {"host": "127.0.0.1:8080", "scheme": "http", "keyId": "testid", "secret": "testsecret",
           "region": "cn-hangzhou"}

GENERATE = """
import { samples, snake, CORE_NO_SETTER, TEA_NO_FIELD } from './static/codegen.mjs';
import { structured } from './static/params.mjs';
import { readFileSync } from 'node:fs';
const { api, options } = JSON.parse(readFileSync(0, 'utf8'));

// A value for every parameter, of its type: what a user could type into the form.
const value = (p) => p.name === 'RegionId' ? 'cn-hangzhou' : p.enum ? p.enum[0] : p.type === 'Boolean' ? 'true'
  : ['Integer', 'Long'].includes(p.type) ? String(p.min ?? p.max ?? 2) : p.type === 'Float' ? '1.5' : `v-${p.name}`;
const out = {};
for (const action of Object.values(api.actions)) {
  const values = {};
  for (const p of action.params) {
    if (p.kind === 'object') values[p.name] = Object.fromEntries(p.fields.map((f) => [f.name, value(f)]));
    else if (p.kind === 'object_list') values[p.name] = [Object.fromEntries(p.fields.map((f) => [f.name, value(f)]))];
    else if (p.kind === 'scalar') values[p.name] = value(p);
    else values[p.name] = `${value(p)}, ${value(p)}-2`;
  }
  out[action.key] = samples(action, structured(action, values), options);
}
const teaNoField = [...TEA_NO_FIELD].map((entry) => [entry, snake(entry.split('.')[1])]);
console.log(JSON.stringify({ samples: out, coreNoSetter: [...CORE_NO_SETTER], teaNoField }));
"""


@pytest.fixture(scope="module")
def generated(node_js):
    return node_js(GENERATE, {"api": describe(all_products()), "options": OPTIONS})


def calls(tree: ast.AST):
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def attribute_call(node: ast.Call, owner: str) -> str | None:
    func = node.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == owner:
        return func.attr
    return None


def first(wire: str) -> str:
    """The wire name of a list's first item: DataDisk.N.Size -> DataDisk.1.Size (not the N
    of a member's own name, Features.NvmeSupport)."""
    return re.sub(r"\.N(?=\.|$)", ".1", wire)


def test_aliyun_python_sdk_ecs_samples_use_real_setters(generated):
    for name, action in all_actions().items():
        code = generated["samples"][name]["python-core"]
        tree = ast.parse(code)
        request_class = getattr(importlib.import_module(f"aliyunsdkecs.request.v20140526.{name}Request"),
                                f"{name}Request")
        used = [attribute_call(call, "request") for call in calls(tree)]
        for method in filter(None, used):
            assert hasattr(request_class, method), f"{name}: {request_class.__name__} has no {method}"
        assert "set_RegionId" not in used  # the client's region is sent instead
        assert 'client.add_endpoint("cn-hangzhou", "Ecs", "127.0.0.1:8080")' in code
        wire_names = {first(w) for p in action.params for w in p.wire_names()}
        for wire in wire_names - {"RegionId"}:  # each parameter is set one way or another
            head = wire.split(".")[0]
            assert f"set_{head}" in code or f'"{wire}"' in code or f'"{head}' in code, (name, wire)


def test_the_sdk_exceptions_are_real(generated):
    """The tables of parameters an SDK names unlike its rule list only real exceptions."""
    params = {f"{a.name}.{p.name}": p for a in all_actions().values() for p in a.params}
    for entry in generated["coreNoSetter"]:
        action_name, param = entry.split(".")[0], params[entry]
        module = importlib.import_module(f"aliyunsdkecs.request.v20140526.{action_name}Request")
        request_class = getattr(module, f"{action_name}Request")
        if param.kind in (Kind.LIST, Kind.OBJECT_LIST):
            usual = [f"set_{param.name}s"]
        elif param.kind is Kind.OBJECT:
            usual = [f"set_{param.name}{f.name}" for f in param.fields]
        else:
            usual = [f"set_{param.name}"]
        assert not all(hasattr(request_class, setter) for setter in usual), entry
    for entry, field in generated["teaNoField"]:
        fields = inspect.signature(getattr(tea_models, f"{entry.split('.')[0]}Request").__init__).parameters
        assert field not in fields, entry


def test_alibabacloud_ecs20140526_samples_use_real_models(generated):
    for name in all_actions():
        code = generated["samples"][name]["python-tea"]
        tree = ast.parse(code)
        built = 0
        for call in calls(tree):
            model = attribute_call(call, "models")
            if model:
                cls = getattr(tea_models, model)
                fields = inspect.signature(cls.__init__).parameters
                for keyword in call.keywords:
                    assert keyword.arg in fields, f"{name}: {model} has no field {keyword.arg}"
                built += 1
            method = attribute_call(call, "client")
            if method:
                assert hasattr(TeaClient, method), f"{name}: Client has no {method}"
        assert built >= 1 and f"models.{name}Request(" in code
        assert 'endpoint="127.0.0.1:8080"' in code and 'protocol="http"' in code


def test_pop_core_samples_parse(generated, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is needed")
    # Every sample in its own function, none run: one `node --check` for all of them.
    source = "\n".join(f"function sample{n}() {{\n{s['node']}}}" for n, s in enumerate(generated["samples"].values()))
    (tmp_path / "samples.js").write_text(source)
    done = subprocess.run([node, "--check", str(tmp_path / "samples.js")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    code = generated["samples"]["RunInstances"]["node"]
    assert "endpoint: 'http://127.0.0.1:8080'" in code and "apiVersion: '2014-05-26'" in code
    assert "DataDisk: [{ Size: " in code and "'SystemDisk.Category': " in code
    assert "client.request('RunInstances', params, { method: 'POST' })" in code


def test_cli_lines_carry_every_wire_name(generated):
    for name, action in all_actions().items():
        line = generated["samples"][name]["cli"]
        assert line.startswith(f"aliyun ecs {name} \\\n")
        assert "--endpoint 127.0.0.1:8080 --insecure" in line
        assert "--access-key-id testid --access-key-secret testsecret --region cn-hangzhou" in line
        for param in action.params:
            for wire in param.wire_names():
                assert f"--{first(wire)} " in line, (name, wire)
    describe_disks = generated["samples"]["DescribeDisks"]["cli"]
    assert """--DiskIds '["v-DiskIds","v-DiskIds-2"]'""" in describe_disks


def test_vpc_samples_use_the_vpc_products_sdks(generated):
    """A VPC action's samples name aliyun-python-sdk-vpc's request classes and setters,
    alibabacloud_vpc20160428's models, pop-core with the VPC version, `aliyun vpc`."""
    from alibabacloud_vpc20160428 import models as vpc_models
    from alibabacloud_vpc20160428.client import Client as VpcClient

    vpc = all_products()[1]
    for name in vpc.actions:
        sample = generated["samples"][f"Vpc/{name}"]
        core = sample["python-core"]
        request_class = getattr(importlib.import_module(f"aliyunsdkvpc.request.v20160428.{name}Request"),
                                f"{name}Request")
        for method in filter(None, (attribute_call(call, "request") for call in calls(ast.parse(core)))):
            assert hasattr(request_class, method), f"{name}: {request_class.__name__} has no {method}"
        assert f"from aliyunsdkvpc.request.v20160428.{name}Request import" in core
        assert 'client.add_endpoint("cn-hangzhou", "Vpc", "127.0.0.1:8080")' in core
        tea = sample["python-tea"]
        assert "from alibabacloud_vpc20160428 import models" in tea
        for call in calls(ast.parse(tea)):
            model = attribute_call(call, "models")
            if model:
                fields = inspect.signature(getattr(vpc_models, model).__init__).parameters
                assert all(keyword.arg in fields for keyword in call.keywords), (name, model)
            method = attribute_call(call, "client")
            if method:
                assert hasattr(VpcClient, method), name
        assert "apiVersion: '2016-04-28'" in sample["node"]
        assert sample["cli"].startswith(f"aliyun vpc {name} \\\n")
