"""The tag and resource-group rules over plain values (domain/tags.py,
domain/resource_groups.py): what a key, a value and a group ID may be, and the 20-tag quota."""

import pytest

from ecsemu.domain import resource_groups
from ecsemu.domain import tags as rules


@pytest.mark.parametrize("key, valid", [
    ("team", True), ("k" * 128, True), ("Aliyun", True), ("acs", True), ("a:b/c=d", True), ("标签", True),
    ("", False), (None, False), ("k" * 129, False), ("aliyun", False), ("aliyun-x", False), ("acs:x", False),
    ("http://x", False), ("see https://x", False),
])
def test_keys(key, valid):
    assert rules.valid_key(key) is valid


@pytest.mark.parametrize("value, valid", [
    ("", True), ("v" * 128, True), ("aliyun", True), ("acs:x", True),
    ("v" * 129, False), ("http://x", False), ("a https://b", False),
])
def test_values(value, valid):
    assert rules.valid_value(value) is valid


def test_setting_tags_replaces_held_values_and_counts_each_key_once():
    held = [(f"k{n}", "old") for n in range(19)]
    assert rules.merged(held, [("k0", "new")]) == sorted([("k0", "new"), *held[1:]])
    assert not rules.over_quota(rules.merged(held, [("k0", "new"), ("k19", "v")]))
    assert rules.over_quota(rules.merged(held, [("a", "1"), ("b", "2")]))


@pytest.mark.parametrize("group_id, exists", [
    ("rg-acfmxazb4ph6aiy", True), ("rg-abc", True), ("rg-" + "a" * 61, True),
    ("", False), ("rg-", False), ("rg-ab", False), ("rg-" + "a" * 62, False), ("rg-ACFM", False),
    ("rg-a_b", False), ("group-1", False), ("rg-abc\n", False),
])
def test_resource_group_ids(group_id, exists):
    assert resource_groups.exists(group_id) is exists
