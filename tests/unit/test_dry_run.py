"""DryRun is declared exactly where the real API has it: the official SDK's request model of
each action says (alibabacloud_ecs20140526), and each action that declares it answers
DryRunOperation (its handler raises it: tests/unit/test_declared_errors.py holds the list to
the code). A DryRun the real action lacks is a name the real gateway ignores."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

from ecsemu import errors
from ecsemu.actions import all_products

# (SDK package, action) -> declaration, for every product.
_SDKS = {"Ecs": "alibabacloud_ecs20140526", "Vpc": "alibabacloud_vpc20160428"}
ACTIONS = {(_SDKS[product.code], name): action
           for product in all_products() for name, action in product.actions.items()}


def _real_request_fields(sdk: str, action: str) -> set[str]:
    """The wire names the request model's to_map writes at its top level."""
    # The SDK writes VSwitch as one word in its module names (_create_vswitch_request).
    module = importlib.import_module(
        f"{sdk}.models._" + re.sub(r"(?<!^)(?=[A-Z])", "_", action.replace("VSwitch", "Vswitch")).lower()
        + "_request")
    source = inspect.getsource(getattr(module, f"{action}Request").to_map)
    return set(re.findall(r"result\['(\w+)'\]", source))


@pytest.mark.parametrize("sdk, name", sorted(ACTIONS))
def test_dry_run_where_the_real_action_has_it(sdk, name):
    action = ACTIONS[sdk, name]
    declared = any(param.name == "DryRun" for param in action.params)
    assert declared == ("DryRun" in _real_request_fields(sdk, name))
    assert (errors.DRY_RUN_OPERATION in action.error_codes()) == declared
