"""The instance read chain's pure rules: maintenance windows, RAM role names, the primary
ENI's name."""

import pytest

from ecsemu.domain import maintenance, network_interfaces, ram_roles


@pytest.mark.parametrize("start, end, valid", [
    ("02:00:00", "18:00:00", True),
    ("22:00:00", "02:00:00", True),     # past midnight
    ("00:00:00", "23:00:00", True),
    ("23:00:00", "00:00:00", True),
    ("02:00:00", "02:00:00", False),    # 0 hours
    ("02:30:00", "04:00:00", False),    # not on the hour
    ("02:00:01", "04:00:00", False),
    ("24:00:00", "04:00:00", False),
    ("2:00:00", "04:00:00", False),
    ("02:00", "04:00", False),
    ("02:00:00", None, False),
    (None, None, False),
])
def test_maintenance_windows(start, end, valid):
    assert maintenance.valid_window(start, end) is valid


@pytest.mark.parametrize("name, valid", [
    ("EcsServiceRole-web", True), ("a", True), ("role.with_under-score", True), ("x" * 64, True),
    ("x" * 65, False), ("", False), ("has space", False), ("ünïcode", False), ("role/path", False),
])
def test_ram_role_names(name, valid):
    assert ram_roles.valid_role_name(name) is valid


def test_the_primary_eni_is_named_after_its_instance_and_back():
    instance_id = "i-bp1abcdefghijklmnopq"
    eni_id = network_interfaces.primary_eni_id(instance_id)
    assert eni_id == "eni-bp1abcdefghijklmnopq"
    assert network_interfaces.instance_of_eni(eni_id) == instance_id
    assert network_interfaces.instance_of_eni("eni-") is None
    assert network_interfaces.instance_of_eni("i-bp1abcdefghijklmnopq") is None
    mac = network_interfaces.mac_address(instance_id)
    assert mac.startswith("00:16:3e:") and len(mac) == 17 and mac == network_interfaces.mac_address(instance_id)
