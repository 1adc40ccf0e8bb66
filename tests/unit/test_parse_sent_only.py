"""Parsing only the parameters sent (Action.parse) answers exactly as parsing every declared
parameter in order (Action.parse_all): the same arguments, or the same first error."""

import random

import pytest

from ecsemu.actions import all_actions
from ecsemu.errors import EcsError
from tests.wire.test_fuzz import draws

IDS = {"InstanceId": ["i-1"], "DiskId": ["d-1"], "SnapshotId": ["s-1"], "ImageId": ["m-1"]}


def _outcome(parse, raw):
    try:
        return "args", parse(raw)
    except EcsError as exc:
        return "error", (exc.code, exc.message)


@pytest.mark.parametrize("name", sorted(all_actions()))
def test_parsing_what_was_sent_answers_as_parsing_everything(name):
    action = all_actions()[name]
    rng = random.Random(name)
    for _ in range(300):
        raw = dict(pair for param in action.params if rng.random() < 0.5 for pair in draws(param, IDS, rng))
        if rng.random() < 0.3:  # parameters the action does not declare, dotted or not
            raw.update({"Unknown": "x", "Other.1.Field": "y"})
        assert _outcome(action.parse, raw) == _outcome(action.parse_all, raw), raw
